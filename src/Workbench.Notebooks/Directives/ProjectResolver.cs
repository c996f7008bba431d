using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Directives;

/// <summary>
/// Resolves <c>#:project</c>: builds the project in Release (or reuses an output newer than every source file), then
/// copies the output to a private shadow folder and returns the shadow copies plus the project's package assemblies.
/// The kernel loads the shadow copies, so the build output is never locked and can be rebuilt while it runs.
/// </summary>
internal sealed class ProjectResolver : IDisposable
{
    private readonly string _shadowRoot = TempFolders.Create("workbench-shadow");
    private int _copies;

    /// <summary>The project file for a path that names a .csproj or a folder holding exactly one.</summary>
    public static string FindProjectFile(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            var projects = Directory.GetFiles(path, "*.csproj");
            if (projects.Length == 1) return Path.GetFullPath(projects[0]);
            throw new FileNotFoundException(projects.Length == 0 ? $"no .csproj in {path}" : $"several .csproj files in {path}: name one");
        }
        throw new FileNotFoundException($"no such project: {path}");
    }

    /// <summary>Builds (when needed) and shadow-copies; returns the assemblies to reference, the project's own first.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(string projectFile, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(projectFile)!;
        var properties = await EvaluateAsync(projectFile, folder, cancellationToken).ConfigureAwait(false);
        var targetPath = properties["TargetPath"];
        var assetsFile = properties["ProjectAssetsFile"];
        if (string.IsNullOrEmpty(targetPath)) throw new InvalidOperationException("the project has no TargetPath");

        if (!IsUpToDate(folder, targetPath, assetsFile))
        {
            var (exit, log) = await DotnetCli.RunAsync(
                new[] { "build", projectFile, "-c", "Release", "--nologo", "-v", "q", "--disable-build-servers", "-nodeReuse:false" },
                folder, cancellationToken).ConfigureAwait(false);
            if (exit != 0) throw new InvalidOperationException($"build failed: {DotnetCli.Summarize(log)}");
        }
        if (!File.Exists(targetPath)) throw new InvalidOperationException($"the build did not produce {targetPath}");

        var shadow = Path.Combine(_shadowRoot, (++_copies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(shadow);
        var outputFolder = Path.GetDirectoryName(targetPath)!;
        foreach (var file in Directory.GetFiles(outputFolder))
        {
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (ext is ".dll" or ".pdb" or ".xml") File.Copy(file, Path.Combine(shadow, Path.GetFileName(file)), overwrite: true);
        }
        var main = Path.Combine(shadow, Path.GetFileName(targetPath));
        var result = new List<string> { main };
        result.AddRange(Directory.GetFiles(shadow, "*.dll").Where(f => f != main).Order(StringComparer.Ordinal));
        if (!string.IsNullOrEmpty(assetsFile) && File.Exists(assetsFile))
            result.AddRange(AssetsFile.PackageAssemblies(assetsFile, properties.GetValueOrDefault("TargetFramework")));
        return result;
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(string projectFile, string folder, CancellationToken cancellationToken)
    {
        var (exit, log) = await DotnetCli.RunAsync(
            new[] { "msbuild", projectFile, "-nologo", "-p:Configuration=Release", "-getProperty:TargetPath", "-getProperty:ProjectAssetsFile", "-getProperty:TargetFramework" },
            folder, cancellationToken).ConfigureAwait(false);
        if (exit != 0) throw new InvalidOperationException($"could not evaluate the project: {DotnetCli.Summarize(log)}");
        var start = log.IndexOf('{');
        var json = start >= 0 ? JsonNode.Parse(log[start..]) : null;
        var props = json?["Properties"] as JsonObject ?? throw new InvalidOperationException($"could not evaluate the project: {log.Trim()}");
        return props.ToDictionary(p => p.Key, p => (string?)p.Value ?? "");
    }

    // The output is reused when it is newer than every source, project and props file under the project folder.
    private static bool IsUpToDate(string folder, string targetPath, string? assetsFile)
    {
        if (!File.Exists(targetPath) || string.IsNullOrEmpty(assetsFile) || !File.Exists(assetsFile)) return false;
        var built = File.GetLastWriteTimeUtc(targetPath);
        var sep = Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (file.Contains($"{sep}bin{sep}", StringComparison.Ordinal) || file.Contains($"{sep}obj{sep}", StringComparison.Ordinal)) continue;
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (ext is ".cs" or ".csproj" or ".props" or ".targets" or ".resx" && File.GetLastWriteTimeUtc(file) > built) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { if (Directory.Exists(_shadowRoot)) Directory.Delete(_shadowRoot, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
