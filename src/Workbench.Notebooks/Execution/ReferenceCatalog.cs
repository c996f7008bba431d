using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// The references every session starts with, built once per process: the shared framework's assemblies (with the
/// XML docs of the matching reference pack when the SDK is installed, for inspect), and the engine's own display
/// libraries (Plotly.NET, DataFrame, MathNet, Markdig), shared with the host as loaded assemblies so values keep one
/// type identity for the formatters.
/// </summary>
internal static class ReferenceCatalog
{
    // Host libraries a cell may use without a directive; everything else (Roslyn, NetMQ, CLI, test hosts) stays private.
    private static readonly string[] HostLibraries =
    {
        "Workbench.Notebooks", "Plotly.NET", "Plotly.NET.CSharp", "FSharp.Core", "DynamicObj", "Giraffe.ViewEngine",
        "Microsoft.Data.Analysis", "Apache.Arrow", "Microsoft.ML.DataView", "MathNet.Numerics", "Markdig",
        // .NET Interactive's Formatter, Display() and PocketView, and the IHtmlContent that PocketView implements.
        "Microsoft.DotNet.Interactive.Formatting", "Microsoft.AspNetCore.Html.Abstractions",
    };

    // .NET Interactive's own kernel assembly, which extension packages (Plotly.NET.Interactive, …) bring along. The
    // engine provides the part of its API that cells call (Kernel.display, KernelInvocationContext, …) under the same
    // names; referencing the real one too would make those names ambiguous (CS0433) and its Current null.
    private static readonly string[] StoodInFor = { "Microsoft.DotNet.Interactive" };

    private static readonly Lazy<ReferenceSet> Default = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The default reference set.</summary>
    public static ReferenceSet Get() => Default.Value;

    private static ReferenceSet Build()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var docsDir = FindReferencePackDocs(runtimeDir);
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

        var framework = new List<MetadataReference>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in tpa.Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            // The TPA list holds managed assemblies only: no need to open each file to check.
            var name = Path.GetFileNameWithoutExtension(path);
            framework.Add(MetadataReference.CreateFromFile(path, documentation: FrameworkDocumentation.For(name, docsDir)));
            names.Add(name);
        }

        var host = new List<Assembly> { typeof(ReferenceCatalog).Assembly };
        var hostFiles = new List<MetadataReference>();
        var tpaNames = new HashSet<string>(tpa.Select(Path.GetFileNameWithoutExtension).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var lib in HostLibraries)
        {
            if (lib != "Workbench.Notebooks")
            {
                if (!tpaNames.Contains(lib) || names.Contains(lib)) continue;
                try { host.Add(Assembly.Load(new AssemblyName(lib))); }
                catch (FileNotFoundException) { continue; }
                catch (FileLoadException) { continue; }
            }
            names.Add(lib);
        }
        foreach (var a in host)
        {
            var xml = Path.ChangeExtension(a.Location, ".xml");
            hostFiles.Add(MetadataReference.CreateFromFile(a.Location, documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null));
        }
        names.UnionWith(StoodInFor);
        return new ReferenceSet(framework, host, hostFiles, names);
    }

    // dotnet/shared/Microsoft.NETCore.App/10.0.x → dotnet/packs/Microsoft.NETCore.App.Ref/10.0.x/ref/net10.0
    private static string? FindReferencePackDocs(string runtimeDir)
    {
        try
        {
            var version = Path.GetFileName(runtimeDir);
            var packs = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
            if (!Directory.Exists(packs)) return null;
            var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            var exact = Path.Combine(packs, version, "ref", tfm);
            if (Directory.Exists(exact)) return exact;
            return Directory.GetDirectories(packs)
                .Select(d => Path.Combine(d, "ref", tfm))
                .Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault();
        }
        catch (IOException) { return null; }
    }
}
