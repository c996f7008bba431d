using System.CommandLine;
using System.Globalization;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;
using Workbench.Runner.Export;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;
using Workbench.Runner.Running;

namespace Workbench.Host.Commands;

/// <summary>
/// The <c>notebook</c> verb: <c>notebook run PATH... [--inplace | -o DIR] [-p name=value]... [--timeout-per-cell S]
/// [--allow-errors] [--static-images]</c> and <c>notebook export PATH --to html [-o FILE]</c>.
/// Exit codes: 0 success, 1 a cell failed or a notebook could not be parsed or written, 2 bad arguments, parameters or a missing notebook.
/// </summary>
internal static class NotebookCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("notebook", "Run or export .ipynb notebooks headlessly.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateExport());
        return command;
    }

    private static Command CreateRun()
    {
        var paths = new Argument<string[]>("paths") { Description = "Notebooks to run, in order.", Arity = ArgumentArity.OneOrMore };
        var inplace = new Option<bool>("--inplace") { Description = "Write each notebook back to its own file (the default when -o is not given)." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder to write the executed notebooks to (same file names)." };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "name=value override for a variable of the cell tagged 'parameters' (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double?>("--timeout-per-cell") { Description = "Interrupt a cell that runs longer than this many seconds." };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Keep running after a failing cell (the exit code is still 1)." };
        var plotlyJs = new Option<string>("--plotly-js")
        {
            Description = "Which chart outputs carry plotly.js: first (default), every or none (smaller notebooks).",
            DefaultValueFactory = _ => "first",
        };
        plotlyJs.AcceptOnlyFromAmong("first", "every", "none");
        var staticImages = new Option<bool>("--static-images") { Description = "Also store each Plotly chart as PNG (needs /usr/bin/chromium)." };

        var command = new Command("run", "Execute every code cell and write the notebook with its outputs.");
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { inplace, output, parameters, timeout, allowErrors, staticImages, plotlyJs }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            return RunAsync(parse.GetValue(paths) ?? [], parse.GetValue(inplace), parse.GetValue(output), parse.GetValue(parameters) ?? [],
                parse.GetValue(timeout), parse.GetValue(allowErrors), parse.GetValue(staticImages), parse.GetValue(plotlyJs) ?? "first",
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, bool inplace, string? outputDir, string[] parameters, double? seconds,
        bool allowErrors, bool staticImages, string plotlyJs, CancellationToken cancellationToken)
    {
        if (inplace && outputDir is not null) return Usage("give either --inplace or -o DIR, not both");
        if (seconds is <= 0) return Usage("--timeout-per-cell must be positive");
        IReadOnlyDictionary<string, string> values;
        try { values = NotebookParameters.ParseAssignments(parameters); }
        catch (NotebookParameterException e) { return Usage(e.Message); }

        var options = new NotebookRunOptions
        {
            Parameters = values,
            CellTimeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            AllowErrors = allowErrors,
            StaticImages = staticImages,
            PlotlyScript = plotlyJs switch
            {
                "every" => PlotlyScriptMode.EveryChart,
                "none" => PlotlyScriptMode.Never,
                _ => PlotlyScriptMode.FirstChart,
            },
            Log = line => Console.Error.WriteLine(line),
        };
        var exit = 0;
        foreach (var path in paths)
        {
            var target = outputDir is null ? null : Path.Combine(outputDir, Path.GetFileName(path));
            try
            {
                var result = await NotebookRunner.RunFileAsync(path, target, options, cancellationToken);
                if (result.Succeeded)
                {
                    Console.WriteLine($"{path}: {result.ExecutedCells} cells ran, written to {result.OutputPath}");
                    continue;
                }
                Console.Error.WriteLine(result.ErrorSummary);
                Console.Error.WriteLine($"{path}: written with the error to {result.OutputPath}");
                exit = Math.Max(exit, 1);
                if (!options.AllowErrors) return exit;
            }
            catch (NotebookParameterException e)
            {
                Console.Error.WriteLine($"workbench notebook run: {path}: {e.Message}");
                return Program.UsageError;
            }
            catch (NotebookFormatException e) when (e.InnerException is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                // A notebook that is missing (or a folder) is a usage error, as for every verb.
                return VerbErrors.Report("notebook run", e.Message);
            }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine($"workbench notebook run: {e.Message}");
                return 1;
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
            {
                Console.Error.WriteLine($"workbench notebook run: {path}: {e.Message}");
                return 1;
            }
        }
        return exit;
    }

    private static Command CreateExport()
    {
        var path = new Argument<string>("path") { Description = "The notebook to export." };
        var to = new Option<string>("--to") { Description = "Output format (html).", DefaultValueFactory = _ => "html" };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: the notebook's name with .html)." };
        var noCode = new Option<bool>("--no-code") { Description = "Leave out code cells' source (outputs only)." };
        var command = new Command("export", "Export a notebook as one standalone HTML file that reads with no network.");
        command.Arguments.Add(path);
        command.Options.Add(to);
        command.Options.Add(output);
        command.Options.Add(noCode);
        command.SetAction(parse =>
        {
            var format = parse.GetValue(to)?.ToLower(CultureInfo.InvariantCulture);
            if (format != "html") return Usage($"unsupported --to '{format}' (supported: html)");
            var source = parse.GetValue(path)!;
            try
            {
                var written = HtmlExporter.ExportFile(source, parse.GetValue(output), new HtmlExportOptions { IncludeCode = !parse.GetValue(noCode) });
                Console.WriteLine($"{source}: exported to {written}");
                return 0;
            }
            catch (NotebookFormatException e) when (e.InnerException is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                // A notebook that is missing (or a folder) is a usage error, as for every verb.
                return VerbErrors.Report("notebook export", e.Message);
            }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine($"workbench notebook export: {e.Message}");
                return 1;
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
            {
                Console.Error.WriteLine($"workbench notebook export: {source}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"workbench notebook: {message}");
        return Program.UsageError;
    }
}
