namespace Workbench.Notebooks.Directives;

/// <summary>The kinds of directive a cell may carry before its C# code.</summary>
public enum DirectiveKind
{
    /// <summary><c>#r "path.dll"</c>: an assembly file.</summary>
    AssemblyReference,

    /// <summary><c>#r "nuget: Name, Version"</c> or <c>#:package Name@Version</c>: a NuGet package.</summary>
    Package,

    /// <summary><c>#i "nuget: SOURCE"</c>: a package source (feed URL or local folder) for the session's restores.</summary>
    PackageSource,

    /// <summary><c>#:project path/to/X.csproj</c>: a project built and referenced with its package dependencies.</summary>
    Project,
}
