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
        };
    }

    /// <summary>The prefix the kernelspec lives under.</summary>
    public string Prefix { get; }

    /// <summary>Variables that point Jupyter at the prefix only.</summary>
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

    public void Dispose()
    {
        try { Directory.Delete(Prefix, recursive: true); }
        catch (IOException) { }
    }
}
