using System.Reflection;
using System.Runtime.Loader;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// Binds the assemblies F# cells reference to copies already loaded in the process. A C# cell's <c>#r</c> or
/// <c>#:project</c> loads its assembly into a load context of Roslyn's; when an F# cell references the same assembly,
/// F# Interactive would load the file a second time and the two languages would see two distinct types of one name.
/// Asked before F# Interactive's own resolver, this one answers with the loaded copy, so objects cross as they are.
/// </summary>
internal static class FSharpAssemblies
{
    private static readonly object InstallLock = new();
    private static bool _installed;

    /// <summary>Installs the resolver once per process.</summary>
    public static void Install()
    {
        lock (InstallLock)
        {
            if (_installed) return;
            AppDomain.CurrentDomain.AssemblyResolve += (_, e) => Loaded(new AssemblyName(e.Name));
            AssemblyLoadContext.Default.Resolving += (_, name) => Loaded(name);
            _installed = true;
        }
    }

    // Only a file-backed assembly of the very name and version asked for: F# Interactive's own in-memory assemblies
    // (all named FSI-ASSEMBLY…) and other versions stay with their usual resolvers.
    private static Assembly? Loaded(AssemblyName name)
    {
        if (name.Name is null || name.Name.StartsWith("FSI-ASSEMBLY", StringComparison.Ordinal)) return null;
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (a.IsDynamic || string.IsNullOrEmpty(a.Location)) continue;
            var n = a.GetName();
            if (string.Equals(n.Name, name.Name, StringComparison.OrdinalIgnoreCase) && (name.Version is null || n.Version == name.Version)) return a;
        }
        return null;
    }
}
