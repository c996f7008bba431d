using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;
using Workbench.Runner.Files;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;
using Workbench.Runner.Polyglot;
using Workbench.Runner.Rendering;

namespace Workbench.Runner.Running;

/// <summary>
/// Runs a notebook headlessly with the same engine as the kernel (<see cref="NotebookSession"/>), so outputs are
/// the ones Jupyter would show: every code cell in order, in a fresh session whose working directory is the
/// notebook's folder, with parameter overrides injected after the cell tagged <c>parameters</c>. On the first
/// failing cell the run stops (unless errors are allowed); the notebook is written with the error in place either way.
/// </summary>
public static class NotebookRunner
{
    // The current directory is process-wide: runs that change it take turns.
    private static readonly SemaphoreSlim DirectoryGate = new(1, 1);

    /// <summary>
    /// Reads <paramref name="path"/>, runs it and writes the result atomically to <paramref name="outputPath"/>
    /// (the same file when null). A notebook that cannot be read, or parameters that do not apply, throw
    /// (<see cref="NotebookFormatException"/>, <see cref="NotebookParameterException"/>) before anything runs or is written.
    /// </summary>
    /// <remarks>
    /// A .dib file holds no outputs: it is never rewritten. It runs the same way; the executed notebook is written as
    /// .ipynb to <paramref name="outputPath"/> when one is given (a .dib path there gets .ipynb), else nothing is written.
    /// </remarks>
    public static async Task<NotebookRunResult> RunFileAsync(string path, string? outputPath, NotebookRunOptions options,
        CancellationToken cancellationToken = default)
    {
        var notebook = NotebookFile.Read(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var target = TargetOf(path, outputPath);
        using var progress = options.SaveProgress || options.CellStarting is not null || options.CellCrashed is not null
            // Full path: the cells run with the notebook's folder as the current directory.
            ? new RunProgress(notebook, options.SaveProgress && target is not null ? Path.GetFullPath(target) : null, options)
            : null;
        var result = await ExecuteAsync(notebook, folder, options, path, progress, cancellationToken).ConfigureAwait(false);
        if (target is null) return result;
        NotebookWriter.Write(notebook, target);
        return result with { OutputPath = target };
    }

    /// <summary>
    /// The file a run of <paramref name="path"/> writes: <paramref name="outputPath"/>, else the notebook itself; a .dib
    /// target becomes .ipynb, and a .dib run in place writes nothing (null).
    /// </summary>
    public static string? TargetOf(string path, string? outputPath)
    {
        var target = outputPath ?? path;
        if (!NotebookFile.IsDib(target)) return target;
        return outputPath is null ? null : Path.ChangeExtension(target, ".ipynb");
    }

    /// <summary>
    /// Runs <paramref name="notebook"/> in memory (its cells get the new outputs). <paramref name="sourceName"/> names
    /// it in messages.
    /// </summary>
    public static Task<NotebookRunResult> ExecuteAsync(Notebook notebook, string workingDirectory, NotebookRunOptions options,
        string sourceName = "notebook", CancellationToken cancellationToken = default) =>
        ExecuteAsync(notebook, workingDirectory, options, sourceName, null, cancellationToken);

    private static async Task<NotebookRunResult> ExecuteAsync(Notebook notebook, string workingDirectory, NotebookRunOptions options,
        string sourceName, RunProgress? progress, CancellationToken cancellationToken)
    {
        NotebookParameters.Inject(notebook, options.Parameters);
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
        }

        var changeDirectory = options.ChangeCurrentDirectory;
        string? previousDirectory = null;
        if (changeDirectory)
        {
            await DirectoryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            previousDirectory = Environment.CurrentDirectory;
            Environment.CurrentDirectory = workingDirectory;
        }
        try
        {
            var failures = new List<CellFailure>();
            var executed = 0;
            using (var session = new NotebookSession(new NotebookSessionOptions
            {
                WorkingDirectory = workingDirectory,
                InterruptGracePeriod = options.InterruptGracePeriod,
                Formatters = new FormatterRegistry { PlotlyScript = options.PlotlyScript },
            }))
            {
                var collector = new NotebookOutputCollector(options.Inputs);
                var codeCells = notebook.Cells.Count(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source));
                for (var index = 0; index < notebook.Cells.Count; index++)
                {
                    var cell = notebook.Cells[index];
                    if (!cell.IsCode || string.IsNullOrWhiteSpace(cell.Source)) continue;
                    executed++;
                    var number = CellNumber(notebook, index);
                    options.Log?.Invoke($"{sourceName}: cell {number} ({executed}/{codeCells} code cells)");
                    progress?.CellStarting(cell, number);
                    var failure = await RunCellAsync(session, collector, cell, number, PolyglotMetadata.EffectiveKernelName(notebook, cell),
                        options, cancellationToken).ConfigureAwait(false);
                    if (failure is null) continue;
                    failures.Add(failure);
                    if (!options.AllowErrors || cancellationToken.IsCancellationRequested) break;
                }
                progress?.Finished();
                RecordLanguages(notebook, session);
                Widgets.WidgetStateMetadata.Record(notebook, session.Widgets);
            }

            if (options.StaticImages) await AddStaticImagesAsync(notebook, options, cancellationToken).ConfigureAwait(false);
            return new NotebookRunResult(notebook, sourceName, null, failures, executed);
        }
        finally
        {
            if (changeDirectory)
            {
                Environment.CurrentDirectory = previousDirectory!;
                DirectoryGate.Release();
            }
        }
    }

    // Cells are numbered as in the notebook the user wrote: the injected parameters cell is not counted (an error in it
    // is reported at the parameters cell it follows).
    private static int CellNumber(Notebook notebook, int index)
    {
        var number = 0;
        for (var i = 0; i <= index; i++)
            if (!notebook.Cells[i].HasTag(NotebookParameters.InjectedTag)) number++;
        return Math.Max(number, 1);
    }

    // Each code cell's kernel and the session's kernels go into the metadata, where Polyglot Notebooks reads them.
    private static void RecordLanguages(Notebook notebook, NotebookSession session)
    {
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
        {
            var name = PolyglotMetadata.EffectiveKernelName(notebook, cell);
            PolyglotMetadata.SetCellKernelName(cell, (name is null ? null : session.ResolveKernelName(name)) ?? name ?? session.DefaultKernelName);
        }
        PolyglotMetadata.SetKernelInfo(notebook, session.KernelInfos, session.DefaultKernelName);
    }

    private static async Task<CellFailure?> RunCellAsync(NotebookSession session, NotebookOutputCollector collector, NotebookCell cell,
        int number, string? kernelName, NotebookRunOptions options, CancellationToken cancellationToken)
    {
        var output = collector.For(cell);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.CellTimeout is { } timeout) limit.CancelAfter(timeout);
        var result = await session.ExecuteAsync(cell.Source, output, limit.Token, kernelName).ConfigureAwait(false);
        cell.ExecutionCount = result.ExecutionCount;
        if (result.Result is { } bundle) collector.Add(cell, NotebookOutputs.ExecuteResult(bundle, result.ExecutionCount));
        if (result.Error is not { } error) return null;
        if (options.SkipUnavailableKernels && error.Name == "KernelNotAvailable")
        {
            collector.Add(cell, NotebookOutputs.Stream("stderr", $"skipped (--skip-unavailable-kernels): {error.Value}\n"));
            return null;
        }

        var timedOut = result.Cancelled && !cancellationToken.IsCancellationRequested && options.CellTimeout is not null;
        if (timedOut)
        {
            var seconds = options.CellTimeout!.Value.TotalSeconds;
            var message = $"cell {number} did not finish within {seconds:0.###} s and was interrupted";
            if (error.Name == "CellNotRespondingToInterrupt") message += " (it does not check Cancellation and was abandoned)";
            collector.Add(cell, NotebookOutputs.Error("CellTimeout", message, [$"CellTimeout: {message}", .. error.Traceback]));
            return new CellFailure(number, cell.Id, null, "CellTimeout", message, TimedOut: true, result.ExecutionCount);
        }
        collector.Add(cell, NotebookOutputs.Error(error));
        return new CellFailure(number, cell.Id, error.Line, error.Name, error.Value, ExecutionCount: result.ExecutionCount);
    }

    private static async Task AddStaticImagesAsync(Notebook notebook, NotebookRunOptions options, CancellationToken cancellationToken)
    {
        var charts = notebook.Cells.Where(c => c.IsCode).SelectMany(c => c.Outputs)
            .Where(o => o["data"] is JsonObject data && data[PlotlyView.MimeType] is JsonObject)
            .ToList();
        if (charts.Count == 0) return;
        if (!HeadlessChromium.IsAvailable(options.ChromiumPath))
        {
            options.Log?.Invoke($"static images skipped: Chromium not found at {options.ChromiumPath}");
            return;
        }
        var figures = charts.Select(o => o["data"]![PlotlyView.MimeType]!).ToList();
        IReadOnlyList<byte[]?> images;
        try
        {
            images = await ChartImageRenderer.RenderPngAsync(figures, options.ChromiumPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            // Images are an extra: the executed notebook is still written without them.
            options.Log?.Invoke($"static images skipped: {e.Message}");
            return;
        }
        for (var i = 0; i < charts.Count; i++)
        {
            if (images[i] is not { } png) { options.Log?.Invoke($"static image {i + 1}: Plotly could not render the chart"); continue; }
            var data = charts[i]["data"]!.AsObject();
            data["image/png"] = Convert.ToBase64String(png);
            // Static viewers prefer text/html over image/png: the HTML carries the image too, until a script redraws it.
            if (data["text/html"] is JsonValue html && html.TryGetValue<string>(out var text))
                data["text/html"] = PlotlyView.WithStaticImage(text, png);
        }
    }
}
