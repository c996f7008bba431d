using Workbench.CommandLine;
using System.CommandLine;
using System.Globalization;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;
using Workbench.Runner.Export;
using Workbench.Runner.Files;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;
using Workbench.Runner.Running;

namespace Workbench.Host.Commands;

/// <summary>
/// The <c>notebook</c> verb: <c>notebook run PATH... [--inplace | -o DIR] [-p name=value]... [--timeout-per-cell S]
/// [--input prompt=answer]... [--inputs FILE] [--allow-errors] [--static-images]</c>, <c>notebook export PATH --to html [-o FILE]</c> and <c>notebook convert IN OUT</c>
/// (<see cref="NotebookConvertCommand"/>). PATH is .ipynb or .dib.
/// Exit codes: 0 success, 1 a cell failed or a notebook could not be parsed or written, 2 bad arguments, parameters or a missing notebook.
/// </summary>
internal static class NotebookCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("notebook", "Run, export or convert notebooks (.ipynb, .dib) headlessly.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateExport());
        command.Subcommands.Add(NotebookConvertCommand.Create());
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
        var inputs = new Option<string[]>("--input") { Description = "prompt=answer for a cell that asks for input (repeatable).", AllowMultipleArgumentsPerToken = false };
        var inputsFile = new Option<string?>("--inputs") { Description = "JSON file of prompt → answer for cells that ask for input." };
        var timeout = new Option<double?>("--timeout-per-cell") { Description = "Interrupt a cell that runs longer than this many seconds." };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Keep running after a failing cell (the exit code is still 1)." };
        var plotlyJs = new Option<string>("--plotly-js")
        {
            Description = "Which chart outputs carry plotly.js: first (default), every or none (smaller notebooks).",
            DefaultValueFactory = _ => "first",
        };
        plotlyJs.AcceptOnlyFromAmong("first", "every", "none");
        var staticImages = new Option<bool>("--static-images") { Description = "Also store each Plotly chart as PNG (needs /usr/bin/chromium)." };
        var skipKernels = new Option<bool>("--skip-unavailable-kernels") { Description = "Skip cells whose Jupyter kernel (e.g. #!python) is not installed instead of failing." };

        var command = new Command("run", "Execute every code cell and write the notebook with its outputs.");
        command.Arguments.Add(paths);
        foreach (var o in new Option[] { inplace, output, parameters, inputs, inputsFile, timeout, allowErrors, staticImages, plotlyJs, skipKernels }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            return RunAsync(parse.GetValue(paths) ?? [], parse.GetValue(inplace), parse.GetValue(output), parse.GetValue(parameters) ?? [],
                parse.GetValue(timeout), parse.GetValue(allowErrors), parse.GetValue(staticImages), parse.GetValue(plotlyJs) ?? "first",
                parse.GetValue(inputs) ?? [], parse.GetValue(inputsFile), parse.GetValue(skipKernels), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, bool inplace, string? outputDir, string[] parameters, double? seconds,
        bool allowErrors, bool staticImages, string plotlyJs, string[] inputs, string? inputsFile, bool skipUnavailableKernels, CancellationToken cancellationToken)
    {
        if (inplace && outputDir is not null) return Usage.Error("notebook", "give either --inplace or -o DIR, not both");
        if (inplace && paths.FirstOrDefault(NotebookFile.IsDib) is { } dib)
            return Usage.Error("notebook", $"{dib}: a .dib file holds no outputs and is not rewritten; give -o DIR to write the executed notebook as .ipynb");
        if (seconds is <= 0) return Usage.Error("notebook", "--timeout-per-cell must be positive");
        IReadOnlyDictionary<string, string> values;
        try { values = NotebookParameters.ParseAssignments(parameters); }
        catch (NotebookParameterException e) { return Usage.Error("notebook", e.Message); }
        IReadOnlyDictionary<string, string> answers;
        try { answers = NotebookInputs.Parse(inputs, inputsFile); }
        catch (NotebookParameterException e) { return Usage.Error("notebook", e.Message); }

        var options = new NotebookRunOptions
        {
            Parameters = values,
            Inputs = answers,
            CellTimeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            AllowErrors = allowErrors,
            SkipUnavailableKernels = skipUnavailableKernels,
            StaticImages = staticImages,
            PlotlyScript = plotlyJs switch
            {
                "every" => PlotlyScriptMode.EveryChart,
                "none" => PlotlyScriptMode.Never,
                _ => PlotlyScriptMode.FirstChart,
            },
            Log = line => Console.Error.WriteLine(line),
            SaveProgress = true,
        };
        // A cell can end the process it runs in beyond any catch (a stack overflow): run in a child that this process watches.
        if (IsolatedRun.ShouldIsolate) return IsolatedRun.Run(paths, outputDir);
        var exit = 0;
        foreach (var path in paths)
        {
            var target = outputDir is null ? null : Path.Combine(outputDir, Path.GetFileName(path));
            try
            {
                var notebookOptions = options with
                {
                    CellStarting = (number, id) => IsolatedRun.RecordCellStarting(path, number, id),
                    CellCrashed = failure => IsolatedRun.RecordCrash(path, failure),
                };
                var result = await NotebookRunner.RunFileAsync(path, target, notebookOptions, cancellationToken);
                var written = result.OutputPath is null ? "not written (a .dib holds no outputs: -o DIR writes them as .ipynb)" : $"written to {result.OutputPath}";
                if (result.Succeeded)
                {
                    Console.WriteLine($"{path}: {result.ExecutedCells} cells ran, {written}");
                    continue;
                }
                Console.Error.WriteLine(result.ErrorSummary);
                Console.Error.WriteLine(result.OutputPath is null ? $"{path}: {written}" : $"{path}: written with the error to {result.OutputPath}");
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
            if (format != "html") return Usage.Error("notebook export", $"unsupported --to '{format}' (supported: html)");
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

}
