namespace Workbench.Notebooks.Directives;

/// <summary>
/// Turns a submission's directives into the assembly files to reference: <c>#r "x.dll"</c>, <c>#:project</c> (built
/// once per kernel: a rebuilt assembly needs a restart), <c>#i "nuget: SOURCE"</c> and <c>#r "nuget:"</c> /
/// <c>#:package</c> through a package resolver. C# and F# each have one, over the same package resolver, so both
/// languages get the same package versions in a session.
/// </summary>
internal sealed class DirectiveResolver : IDisposable
{
    private readonly PackageResolver _packages;
    private readonly ProjectResolver _projects = new();
    private readonly HashSet<string> _builtProjects = new(StringComparer.Ordinal);

    public DirectiveResolver(PackageResolver packages) => _packages = packages;

    public async Task<IReadOnlyList<(string Path, CellDirective Directive)>> ResolveAsync(IReadOnlyList<CellDirective> directives, string workingDirectory, CancellationToken token)
    {
        if (directives.Count == 0) return Array.Empty<(string, CellDirective)>();
        var paths = new List<(string Path, CellDirective Directive)>();
        foreach (var d in directives)
        {
            switch (d.Kind)
            {
                case DirectiveKind.AssemblyReference:
                    var file = Path.GetFullPath(Path.Combine(workingDirectory, d.Argument));
                    if (!File.Exists(file)) throw new DirectiveException(d.Text, d.Line, $"file not found: {file}");
                    paths.Add((file, d));
                    break;
                case DirectiveKind.PackageSource:
                    // A feed URL as it is; anything else is a folder, relative to the notebook.
                    if (Uri.TryCreate(d.Argument, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    {
                        _packages.AddSource(d.Argument);
                        break;
                    }
                    var folder = Path.GetFullPath(Path.Combine(workingDirectory, d.Argument));
                    if (!Directory.Exists(folder)) throw new DirectiveException(d.Text, d.Line, $"package source folder not found: {folder}");
                    _packages.AddSource(folder);
                    break;
                case DirectiveKind.Project:
                    string project;
                    try { project = ProjectResolver.FindProjectFile(Path.Combine(workingDirectory, d.Argument)); }
                    catch (FileNotFoundException e) { throw new DirectiveException(d.Text, d.Line, e.Message); }
                    if (!_builtProjects.Add(project)) break; // already referenced: a rebuilt assembly needs a restart
                    try
                    {
                        foreach (var p in await _projects.ResolveAsync(project, token).ConfigureAwait(false)) paths.Add((p, d));
                    }
                    catch (Exception e) when (e is InvalidOperationException or IOException or System.Text.Json.JsonException)
                    {
                        _builtProjects.Remove(project);
                        throw new DirectiveException(d.Text, d.Line, e.Message, e);
                    }
                    break;
            }
        }
        var packages = directives.Where(d => d.Kind == DirectiveKind.Package).ToList();
        if (packages.Count > 0)
        {
            try
            {
                foreach (var p in await _packages.RestoreAsync(packages, token).ConfigureAwait(false)) paths.Add((p, packages[0]));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Text.Json.JsonException)
            {
                var names = string.Join(", ", packages.Select(p => $"{p.Argument} {p.Version ?? "(newest)"}"));
                throw new DirectiveException(packages[0].Text, packages[0].Line, $"{e.Message} (packages: {names})", e);
            }
        }
        return paths;
    }

    public void Dispose() => _projects.Dispose();
}
