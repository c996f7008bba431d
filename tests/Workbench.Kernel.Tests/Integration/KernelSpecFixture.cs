using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// Installs the kernelspec into a private prefix with the real CLI (`workbench kernel install --prefix`), so Jupyter
/// finds it through JUPYTER_PATH and nothing outside the test folder changes.
/// </summary>
public sealed class KernelSpecFixture : IDisposable
{
    public KernelSpecFixture()
    {
        Prefix = Directory.CreateTempSubdirectory("wb-kernel-").FullName;
        var (file, args) = WorkbenchCommand();
        var (exit, stdout, stderr) = ExternalProcess.Run(file, args.Concat(new[] { "kernel", "install", "--prefix", Prefix }), Prefix);
        if (exit != 0) throw new InvalidOperationException($"workbench kernel install failed ({exit}): {stdout}{stderr}");
        Environment = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(Prefix, "share", "jupyter"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(Prefix, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Prefix, "runtime"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(Prefix, "config"),
            ["IPYTHONDIR"] = Path.Combine(Prefix, "ipython"),
            // The kernel's history.sqlite too stays in the test folder.
            ["WORKBENCH_HISTORY_DIR"] = Path.Combine(Prefix, "workbench"),
        };
    }

    /// <summary>The prefix the kernelspec lives under.</summary>
    public string Prefix { get; }

    /// <summary>Variables that point Jupyter (and the kernel's history) at the prefix only.</summary>
    public IDictionary<string, string> Environment { get; }

    /// <summary>The workbench executable beside the tests (the apphost, or dotnet + workbench.dll).</summary>
    public static (string File, string[] Args) WorkbenchCommand()
    {
        var dir = AppContext.BaseDirectory;
        var apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "workbench.exe" : "workbench");
        if (File.Exists(apphost)) return (apphost, Array.Empty<string>());
        return ("dotnet", new[] { Path.Combine(dir, "workbench.dll") });
    }

    /// <summary>An nbformat 4.5 notebook of code cells for the workbench-csharp kernel.</summary>
    public static JsonObject CodeNotebook(IEnumerable<string> sources)
    {
        var cells = new JsonArray();
        foreach (var code in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = code,
            });
        return new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = "workbench-csharp", ["display_name"] = "C# (Workbench)", ["language"] = "csharp" },
                ["language_info"] = new JsonObject { ["name"] = "csharp" },
            },
            ["cells"] = cells,
        };
    }

    /// <summary>
    /// Executes <paramref name="input"/> with Debian's `jupyter nbconvert --execute --allow-errors` against the installed
    /// kernel, writing out.ipynb beside it, and returns the executed cells.
    /// </summary>
    public JsonArray Nbconvert(string work, string input, TimeSpan timeout)
    {
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/jupyter",
            new[] { "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--ExecutePreprocessor.timeout=300",
                    "--ExecutePreprocessor.kernel_name=workbench-csharp", "--output", "out.ipynb", input },
            work, Environment, timeout);
        Assert.True(exit == 0, $"nbconvert failed ({exit}):\n{stdout}\n{stderr}");
        return JsonNode.Parse(File.ReadAllText(Path.Combine(work, "out.ipynb")))!["cells"]!.AsArray();
    }

    /// <summary>
    /// Runs the same notebook with the headless runner (`notebook run --allow-errors`, which reports the notebook's
    /// failing cells with exit code 1) and asserts that every cell has the outputs <paramref name="viaJupyter"/> has,
    /// as <see cref="NbconvertTests.Comparable"/> sees them, after <paramref name="mask"/> (for what differs per run).
    /// </summary>
    public void AssertRunnerAgrees(string work, string input, JsonArray viaJupyter, TimeSpan timeout, Func<string, string>? mask = null)
    {
        mask ??= text => text;
        var (file, args) = WorkbenchCommand();
        var runnerOut = Path.Combine(work, "runner");
        var (exit, stdout, stderr) = ExternalProcess.Run(file,
            args.Concat(new[] { "notebook", "run", input, "--allow-errors", "-o", runnerOut }), work, Environment, timeout);
        Assert.True(exit == 1, $"the runner should report the failing cells with exit code 1 ({exit}):\n{stdout}\n{stderr}");
        var runnerCells = JsonNode.Parse(File.ReadAllText(Path.Combine(runnerOut, Path.GetFileName(input))))!["cells"]!.AsArray();
        Assert.Equal(viaJupyter.Count, runnerCells.Count);
        for (var i = 0; i < viaJupyter.Count; i++)
        {
            string jupyter = mask(NbconvertTests.Comparable(viaJupyter[i]!)), runner = mask(NbconvertTests.Comparable(runnerCells[i]!));
            Assert.True(jupyter == runner, $"cell {i} differs:\njupyter: {jupyter}\nrunner:  {runner}");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Prefix, recursive: true); }
        catch (IOException) { }
    }
}
