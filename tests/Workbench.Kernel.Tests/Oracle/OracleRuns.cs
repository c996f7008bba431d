using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Workbench.Kernel.Tests.Integration;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// Runs each oracle notebook (Oracle/Notebooks/*.ipynb) once under our kernel (workbench-csharp, installed with
/// `workbench kernel install --prefix`) and once under the official .net-csharp kernel, both at the same time, each
/// through Scripts/run_cells.py (jupyter_client, one kernel per notebook, stdin answered). Results are kept per
/// notebook, so each cell case reads the same two runs.
/// </summary>
public sealed class OracleRuns : IDisposable
{
    private readonly KernelSpecFixture _ours = new();
    private readonly ConcurrentDictionary<string, Lazy<Run>> _runs = new();
    private readonly string _feed;

    public OracleRuns()
    {
        _feed = Path.Combine(_ours.Prefix, "feed");
        LocalFeed.WritePackage(_feed, "Oracle.Greeting", "1.0.0",
            "namespace Oracle.Greeting { public static class Greeter { public static string Hi(string n) => \"hi \" + n; } }");
        LocalFeed.WritePackage(_feed, "Oracle.Shout", "0.1.0-dev.20260101",
            "namespace Oracle.Shout { public static class Shouter { public static string Shout(string w) => w.ToUpperInvariant() + \"!\"; } }");
    }

    /// <summary>The folder of the oracle notebooks, copied beside the tests.</summary>
    public static string NotebookFolder => Path.Combine(AppContext.BaseDirectory, "Oracle", "Notebooks");

    /// <summary>Both kernels' results for one notebook (run on first request).</summary>
    public Run Get(string notebook) => _runs.GetOrAdd(notebook, n => new Lazy<Run>(() => Execute(n))).Value;

    private Run Execute(string notebook)
    {
        var work = Path.Combine(_ours.Prefix, "oracle-" + notebook);
        Directory.CreateDirectory(work);
        var source = Path.Combine(work, notebook + ".ipynb");
        File.WriteAllText(source, File.ReadAllText(Path.Combine(NotebookFolder, notebook + ".ipynb")).Replace("{{FEED}}", _feed));
        var cells = JsonNode.Parse(File.ReadAllText(source))!["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code").Select(c => c!["metadata"]!["oracle"]!.AsObject()).ToList();
        var officialSkips = cells.Where(c => c["official"] is { } run && !(bool)run!).SelectMany(c => new[] { "--skip", (string)c["id"]! });

        var ours = Task.Run(() => RunKernel("workbench-csharp", source, work, Path.Combine(work, "ours.json"), Array.Empty<string>()));
        var official = Task.Run(() => RunKernel(OfficialKernel.KernelName, source, work, Path.Combine(work, "official.json"), officialSkips));
        return new Run(cells, ours.GetAwaiter().GetResult(), official.GetAwaiter().GetResult());
    }

    /// <summary>Runs a notebook under our kernel alone (as the oracle runs do) and returns what run_cells.py wrote.</summary>
    public JsonObject RunOurs(string notebook, string work) =>
        RunKernel("workbench-csharp", notebook, work, Path.Combine(work, Path.GetFileNameWithoutExtension(notebook) + ".json"), Array.Empty<string>());

    private JsonObject RunKernel(string kernel, string notebook, string work, string output, IEnumerable<string> extra)
    {
        var environment = new Dictionary<string, string>(_ours.Environment)
        {
            ["JUPYTER_PATH"] = string.Join(Path.PathSeparator, _ours.Environment["JUPYTER_PATH"], OfficialKernel.JupyterPath!),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Oracle", "Scripts", "run_cells.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script, kernel, notebook, output }.Concat(extra),
            work, environment, TimeSpan.FromMinutes(15));
        if (exit != 0 || !File.Exists(output))
            throw new InvalidOperationException($"run_cells.py on {kernel} failed ({exit}):\n{stdout}\n{stderr}");
        return JsonNode.Parse(File.ReadAllText(output))!.AsObject();
    }

    public void Dispose() => _ours.Dispose();

    /// <summary>A notebook's cells (their oracle metadata) and what each kernel sent for them.</summary>
    public sealed record Run(List<JsonObject> Cells, JsonObject Ours, JsonObject Official)
    {
        public JsonObject Options(string id) =>
            Cells.FirstOrDefault(c => (string?)c["id"] == id) ?? throw new ArgumentException($"no oracle cell '{id}'");

        public JsonObject OursCell(string id) => Find(Ours, id);

        public JsonObject OfficialCell(string id) => Find(Official, id);

        private static JsonObject Find(JsonObject run, string id) =>
            run["cells"]!.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => (string?)c["id"] == id)
            ?? throw new ArgumentException($"the run of {run["kernel"]} has no cell '{id}'");
    }
}
