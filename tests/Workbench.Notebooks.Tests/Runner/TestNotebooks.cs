using System.Diagnostics;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>Notebooks and helpers shared by the runner and CLI tests.</summary>
internal static class TestNotebooks
{
    /// <summary>
    /// State across cells, stdout/stderr, a result, display + Update, a relative path, Markdown and a chart, then a
    /// runtime error on line 2 of its cell and one more cell. After injection (3 overrides cell), the error is cell 9, In [8].
    /// </summary>
    public static Notebook Exercise()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("# Runner test"));
        nb.Cells.Add(NotebookCell.Code("int epochs = 2;\nstring label = \"base\";", NotebookParameters.ParametersTag));
        nb.Cells.Add(NotebookCell.Code(
            "var total = 0;\nfor (var i = 0; i < epochs; i++) total += i + 1;\nConsole.WriteLine($\"total={total}\");\nConsole.Error.WriteLine(\"warn\");\nConsole.WriteLine($\"label={label}\");\ntotal"));
        nb.Cells.Add(NotebookCell.Code("var h = display(\"step 0\");\nfor (var i = 1; i <= 3; i++) h.Update($\"step {i}\");"));
        nb.Cells.Add(NotebookCell.Code("File.ReadAllText(\"data.txt\").Trim()"));
        nb.Cells.Add(NotebookCell.Code("new Workbench.Notebooks.Display.Markdown(\"**bold**\")"));
        nb.Cells.Add(NotebookCell.Code(ReferencePlotting + "Workbench.Plotting.Plot.Line(new[] { 1.0, 4.0, 9.0 }, \"squares\")"));
        nb.Cells.Add(NotebookCell.Code("var ok = 1;\nint.Parse(\"not a number\");"));
        nb.Cells.Add(NotebookCell.Code("Console.WriteLine(\"after\");"));
        return nb;
    }

    /// <summary>The line a cell starts with to use the chart helpers, as the project's notebooks reference them.</summary>
    public static string ReferencePlotting => $"#r \"{typeof(Workbench.Plotting.Plot).Assembly.Location}\"\n";

    /// <summary>Writes <paramref name="notebook"/> and a data.txt into a new temporary folder; returns the notebook path.</summary>
    public static string WriteToTempFolder(Notebook notebook, string name = "exercise.ipynb")
    {
        var dir = Directory.CreateTempSubdirectory("wb-runner-").FullName;
        File.WriteAllText(Path.Combine(dir, "data.txt"), "from-folder\n");
        var path = Path.Combine(dir, name);
        NotebookWriter.Write(notebook, path);
        return path;
    }

    /// <summary>Runs the built <c>workbench</c> CLI as a process; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCli(params string[] args) => RunCli(new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI with extra environment variables.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCli(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCliIn(null, environment, args);

    /// <summary>Runs the CLI in <paramref name="workingDirectory"/> (the test's own when null), e.g. with relative paths.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCliIn(string? workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        start.ArgumentList.Add(CliPath());
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("workbench did not finish within 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    // tests/Workbench.Notebooks.Tests/bin/<Configuration>/net10.0 → src/Workbench.Cli/bin/<Configuration>/net10.0/workbench.dll
    private static string CliPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var repo = baseDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repo, "src", "Workbench.Cli", "bin", configuration, framework, "workbench.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the CLI first: {dll} is missing", dll);
    }
}
