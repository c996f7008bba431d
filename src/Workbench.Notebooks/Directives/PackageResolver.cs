using System.Security;
using System.Text;

namespace Workbench.Notebooks.Directives;

/// <summary>
/// Resolves NuGet packages by a real restore of a scratch project that lists every package the session asked for
/// (so versions are unified), then reads its assets file. The restore reuses the machine's NuGet cache, so it works
/// offline when the packages are there.
/// </summary>
internal sealed class PackageResolver : IDisposable
{
    private readonly string _directory = TempFolders.Create("workbench-nuget");
    private readonly List<(string Name, string? Version)> _packages = new();
    private readonly List<string> _sources = new();

    /// <summary>The sources added with <c>#i "nuget: …"</c>, in order (used beside the machine's configured ones).</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>Adds a package source (a feed URL or an absolute folder) for this and later restores.</summary>
    public void AddSource(string source)
    {
        if (!_sources.Contains(source, StringComparer.Ordinal)) _sources.Add(source);
    }

    /// <summary>Adds packages and restores; returns the assembly paths of all packages so far.</summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(IReadOnlyList<CellDirective> packages, CancellationToken cancellationToken)
    {
        var before = _packages.ToList();
        foreach (var p in packages)
        {
            var i = _packages.FindIndex(x => string.Equals(x.Name, p.Argument, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) _packages[i] = (p.Argument, p.Version ?? _packages[i].Version);
            else _packages.Add((p.Argument, p.Version));
        }
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Packages.props"), "<Project />");
        var project = new StringBuilder();
        project.Append("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n")
            .Append("    <TargetFramework>").Append(DotnetCli.TargetFramework).Append("</TargetFramework>\n")
            .Append("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n")
            .Append("    <NoWarn>NU1603;NU1701;NU1608;NU1801</NoWarn>\n");
        if (_sources.Count > 0)
            project.Append("    <RestoreAdditionalProjectSources>").Append(SecurityElement.Escape(string.Join(';', _sources))).Append("</RestoreAdditionalProjectSources>\n");
        project.Append("  </PropertyGroup>\n  <ItemGroup>\n");
        foreach (var (name, version) in _packages)
            project.Append("    <PackageReference Include=\"").Append(SecurityElement.Escape(name))
                .Append("\" Version=\"").Append(SecurityElement.Escape(version ?? "*")).Append("\" />\n");
        project.Append("  </ItemGroup>\n</Project>\n");
        var projectPath = Path.Combine(_directory, "Packages.csproj");
        File.WriteAllText(projectPath, project.ToString());

        // An unreachable feed (no network) is a warning, not a failure: versions in the local cache and in reachable
        // sources (local folders) still restore, so notebooks keep running offline.
        var (exit, log) = await DotnetCli.RunAsync(new[] { "restore", projectPath, "--nologo", "-v", "q", "--disable-build-servers", "--ignore-failed-sources" }, _directory, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            _packages.Clear();
            _packages.AddRange(before);
            var added = _sources.Count == 0 ? "" : $"; sources added with #i: {string.Join(", ", _sources)}";
            throw new InvalidOperationException($"restore failed: {DotnetCli.Summarize(log)}{added}");
        }
        return AssetsFile.PackageAssemblies(Path.Combine(_directory, "obj", "project.assets.json"), DotnetCli.TargetFramework);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
