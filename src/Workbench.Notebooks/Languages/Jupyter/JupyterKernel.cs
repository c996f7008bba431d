using Workbench.Notebooks.Mime;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Notebooks.Completion;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;
using Workbench.Protocol;
using Workbench.Protocol.Client;

namespace Workbench.Notebooks.Languages.Jupyter;

/// <summary>
/// A Jupyter kernel (python3, or any kernelspec) as a language of the session, started on first use. Its streams and
/// displays become the cell's outputs, its execute_result the cell's result when it runs last, its error the cell's
/// error. Interrupting the cell interrupts the kernel; when the kernel dies the cell says so and the next submission
/// starts a new one. Values cross through <see cref="WireValue"/> (Python kernels only).
/// </summary>
public sealed partial class JupyterKernel : ILanguageKernel, ILanguageCompletion
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly string? _initScript;
    private readonly Func<IReadOnlyList<string>>? _kernelDirectories;
    private JupyterClient? _client;
    private string? _deathNotice;
    private bool _disposed;

    /// <summary>A kernel named <paramref name="name"/> that starts kernelspec <paramref name="kernelSpecName"/> when first used.</summary>
    /// <param name="name">The magic name cells use (<c>#!python</c>).</param>
    /// <param name="kernelSpecName">The kernelspec to start ("python3").</param>
    /// <param name="initScript">Code run (silently) after each start, as <c>#!connect --init-script</c> gives it.</param>
    /// <param name="languageName">The language, until the kernel tells its own (kernel_info).</param>
    /// <param name="kernelDirectories">Where to look for kernelspecs (null: Jupyter's search path).</param>
    public JupyterKernel(string name, string kernelSpecName, string? initScript = null, string languageName = "python",
        Func<IReadOnlyList<string>>? kernelDirectories = null)
    {
        KernelSpecName = kernelSpecName;
        _initScript = initScript;
        _kernelDirectories = kernelDirectories;
        Info = new LanguageKernelInfo(name, Array.Empty<string>(), languageName, null, $"Jupyter kernel '{kernelSpecName}'");
    }

    /// <summary>The kernelspec <c>#!python</c> starts: $WORKBENCH_PYTHON_KERNELSPEC when set (a virtual environment's kernel), else python3.</summary>
    public static string PythonKernelSpecName =>
        Environment.GetEnvironmentVariable("WORKBENCH_PYTHON_KERNELSPEC") is { Length: > 0 } name ? name : "python3";

    /// <summary>The kernel the session registers lazily: <c>#!python</c> runs on kernelspec python3.</summary>
    public static LanguageKernelInfo PythonInfo { get; } = new("python", Array.Empty<string>(), "python", null, "Python through the Jupyter kernel 'python3' (started on first use)");

    /// <inheritdoc/>
    public LanguageKernelInfo Info { get; private set; }

    /// <summary>The kernelspec this kernel starts.</summary>
    public string KernelSpecName { get; }

    /// <summary>The running client (null before the first use and after a death).</summary>
    public JupyterClient? Client => _client;

    private bool SharesValues => string.Equals(Info.LanguageName, "python", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the kernel if it does not run (the first cell, or after it died).</summary>
    /// <exception cref="JupyterKernelException">No kernelspec, or the kernel did not start; the message says which and where.</exception>
    public async Task<JupyterClient> StartAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { IsDead: false } running) return running;
            if (_client is { } dead)
            {
                _deathNotice = dead.DeathReason;
                dead.Dispose();
                _client = null;
            }
            KernelSpec spec;
            try
            {
                spec = _kernelDirectories is null ? KernelSpec.Find(KernelSpecName) : KernelSpec.Find(KernelSpecName, _kernelDirectories());
            }
            catch (KernelSpecNotFoundException e)
            {
                throw new JupyterKernelException($"cannot start the {Info.Name} kernel: {e.Message}", e);
            }
            catch (FormatException e)
            {
                throw new JupyterKernelException($"cannot start the {Info.Name} kernel: {e.Message}", e);
            }
            JupyterClient client;
            try
            {
                client = await JupyterClient.StartAsync(spec, StartTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or KernelDiedException)
            {
                throw new JupyterKernelException($"cannot start the {Info.Name} kernel (kernelspec {spec.Name} in {spec.Directory}): {e.Message}", e);
            }
            var language = (string?)client.KernelInfo["language_info"]?["name"] ?? spec.Language;
            var version = (string?)client.KernelInfo["language_info"]?["version"];
            Info = Info with { LanguageName = language, LanguageVersion = version };
            if (SharesValues) await RunSilentAsync(client, PythonValueHelper.InstallCode, "installing the value-sharing helper").ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(_initScript)) await RunSilentAsync(client, _initScript, "running --init-script").ConfigureAwait(false);
            _client = client;
            return client;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task RunSilentAsync(JupyterClient client, string code, string what)
    {
        var reply = await client.ExecuteAsync(code, silent: true, onIopub: null).ConfigureAwait(false);
        if ((string?)reply.Content["status"] != "ok")
        {
            client.Dispose();
            throw new JupyterKernelException($"the {Info.Name} kernel failed {what}: {reply.Content["ename"]}: {reply.Content["evalue"]}");
        }
    }

    /// <inheritdoc/>
    public async Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        var output = submission.Output;
        JupyterClient client;
        try
        {
            client = await StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JupyterKernelException e)
        {
            return SubmissionResult.Failed(new CellError("KernelNotAvailable", e.Message, new[] { "KernelNotAvailable: " + e.Message }));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled();
        }
        if (Interlocked.Exchange(ref _deathNotice, null) is { } notice)
            output.Stream("stderr", $"{Reword(notice)}; started a new {KernelSpecName} kernel (its variables are gone).\n");

        MimeBundle? result = null;
        CellError? error = null;
        void OnIopub(JupyterMessage m)
        {
            var c = m.Content;
            switch (m.MessageType)
            {
                case "stream":
                    output.Stream((string?)c["name"] == "stderr" ? "stderr" : "stdout", (string?)c["text"] ?? "");
                    break;
                case "display_data":
                    output.Display(Bundle(c), (string?)c["transient"]?["display_id"]);
                    break;
                case "update_display_data":
                    if ((string?)c["transient"]?["display_id"] is { } id) output.UpdateDisplay(Bundle(c), id);
                    break;
                case "execute_result":
                    result = Bundle(c);
                    break;
                case "error":
                    error = Error(c);
                    break;
            }
        }

        using var interrupt = cancellationToken.Register(() => _ = client.InterruptAsync());
        JupyterMessage reply;
        try
        {
            reply = await client.ExecuteAsync(submission.Code, silent: false, OnIopub).ConfigureAwait(false);
        }
        catch (KernelDiedException)
        {
            var message = Reword(client.DeathReason ?? "the kernel died") + $"; the next #!{Info.Name} cell starts a new {KernelSpecName} kernel";
            Interlocked.Exchange(ref _deathNotice, null);
            DropDead(client);
            return SubmissionResult.Failed(new CellError("KernelDied", message, new[] { "KernelDied: " + message }), cancellationToken.IsCancellationRequested);
        }
        var status = (string?)reply.Content["status"];
        if (status == "ok")
        {
            if (result is not null && !submission.IsLast)
            {
                output.Display(result, null);
                result = null;
            }
            return new SubmissionResult(result, null);
        }
        error ??= status == "error" ? Error(reply.Content) : new CellError("Aborted", $"the {Info.Name} kernel aborted the execution", new[] { $"Aborted: the {Info.Name} kernel aborted the execution" });
        return SubmissionResult.Failed(error, cancellationToken.IsCancellationRequested || error.Name == "KeyboardInterrupt");
    }

    private SubmissionResult Cancelled() => SubmissionResult.Failed(new CellError("OperationCanceledException", "The cell was interrupted.", new[] { "OperationCanceledException: The cell was interrupted." }), cancelled: true);

    // "the python3 kernel died (exit code 1)" → "the python kernel died (exit code 1)": cells know it by its magic name.
    private string Reword(string reason) => reason.Replace($"the {KernelSpecName} kernel", $"the {Info.Name} kernel", StringComparison.Ordinal);

    private void DropDead(JupyterClient client)
    {
        if (Interlocked.CompareExchange(ref _client, null, client) == client) client.Dispose();
    }

    /// <inheritdoc/>
    public async Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken)
    {
        RequireValueSharing(name, "read");
        var content = await CallHelperAsync(PythonValueHelper.GetCode(name), $"cannot read '{name}' from {Info.Name}", cancellationToken).ConfigureAwait(false);
        if (content["missing"] is not null) return null;
        var type = (string?)content["type"] ?? "object";
        if ((string?)content["error"] is { } why)
            throw new ValueSharingException($"cannot read '{name}' from {Info.Name}: {why}");
        object? value;
        try { value = WireValue.FromEnvelope(content["value"]); }
        catch (Exception e) when (e is ValueSharingException or FormatException or InvalidOperationException)
        {
            throw new ValueSharingException($"cannot read '{name}' from {Info.Name}: {e.Message}", e);
        }
        return new KernelValue(value, value is null ? "null" : null, type);
    }

    /// <inheritdoc/>
    public async Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken)
    {
        RequireValueSharing(name, "send");
        if (!PythonIdentifier().IsMatch(name)) throw new ValueSharingException($"'{name}' is not a valid Python variable name");
        JsonNode? envelope;
        try
        {
            envelope = value.IsJson ? JsonNode.Parse(value.Json!)
                : value.MimeType == "application/json" && value.Object is string text ? JsonNode.Parse(text)
                : WireValue.ToEnvelope(value.Object);
        }
        catch (Exception e) when (e is ValueSharingException or System.Text.Json.JsonException)
        {
            throw new ValueSharingException($"cannot send '{name}' ({value.TypeName}) to {Info.Name}: {e.Message}", e);
        }
        await SetThroughRequestAsync(name, envelope, cancellationToken).ConfigureAwait(false);
    }

    // The envelope travels as a field of an empty silent execute_request, and a user_expression (evaluated with eval(),
    // without IPython's input transformers) takes it from the request: no part of the value is ever parsed as code.
    private async Task SetThroughRequestAsync(string name, JsonNode? envelope, CancellationToken cancellationToken)
    {
        var expression = PythonValueHelper.SetFromRequestCode(name);
        var failure = $"cannot send '{name}' to {Info.Name}";
        var client = await StartAsync(cancellationToken).ConfigureAwait(false);
        JupyterMessage reply;
        try
        {
            reply = await client.ExecuteAsync("", silent: true, onIopub: null, userExpressions: new JsonObject { ["set"] = expression },
                extraContent: new JsonObject { [PythonValueHelper.ValueField] = envelope }).ConfigureAwait(false);
        }
        catch (KernelDiedException)
        {
            var reason = Reword(client.DeathReason ?? "the kernel died");
            DropDead(client);
            throw new ValueSharingException($"{failure}: {reason}");
        }
        var result = reply.Content["user_expressions"]?["set"];
        if ((string?)reply.Content["status"] != "ok")
            throw new ValueSharingException($"{failure}: {reply.Content["ename"]}: {StripAnsi((string?)reply.Content["evalue"] ?? "")}");
        if ((string?)result?["status"] != "ok")
            throw new ValueSharingException($"{failure}: {result?["ename"]}: {StripAnsi((string?)result?["evalue"] ?? "no result")}");
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        if (!SharesValues || _client is null || _client.IsDead) return Array.Empty<VariableInfo>();
        var content = await CallHelperAsync(PythonValueHelper.VariablesCode, $"cannot list the variables of {Info.Name}", cancellationToken).ConfigureAwait(false);
        return (content["variables"] as JsonArray ?? new JsonArray())
            .Select(v => new VariableInfo((string?)v!["name"] ?? "", (string?)v["type"] ?? "", (string?)v["value"] ?? "")).ToList();
    }

    private void RequireValueSharing(string name, string verb)
    {
        if (!SharesValues)
            throw new ValueSharingException($"cannot {verb} '{name}': value sharing with a {Info.LanguageName} kernel ({Info.Name}) is not supported (Python kernels only)");
    }

    // Runs helper code silently and returns the content of the value display it publishes.
    private async Task<JsonObject> CallHelperAsync(string code, string failure, CancellationToken cancellationToken, bool expectValue = true)
    {
        // JupyterKernelException (not installed, failed to start) goes up as it is: the session reports KernelNotAvailable.
        var client = await StartAsync(cancellationToken).ConfigureAwait(false);
        JsonObject? content = null;
        JupyterMessage reply;
        try
        {
            reply = await client.ExecuteAsync(code, silent: true, m =>
            {
                if (m.MessageType == "display_data" && m.Content["data"]?[PythonValueHelper.MimeType] is JsonObject o) content = o;
            }).ConfigureAwait(false);
        }
        catch (KernelDiedException)
        {
            var reason = Reword(client.DeathReason ?? "the kernel died");
            DropDead(client);
            throw new ValueSharingException($"{failure}: {reason}");
        }
        if ((string?)reply.Content["status"] != "ok")
            throw new ValueSharingException($"{failure}: {reply.Content["ename"]}: {StripAnsi((string?)reply.Content["evalue"] ?? "")}");
        if (!expectValue) return new JsonObject();
        return content ?? throw new ValueSharingException($"{failure}: the kernel published no value");
    }

    /// <inheritdoc/>
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken)
    {
        JupyterClient client;
        try { client = await StartAsync(cancellationToken).ConfigureAwait(false); }
        catch (JupyterKernelException) { return new CompletionResult(Array.Empty<string>(), cursor, cursor); }
        var reply = await client.RequestAsync("complete_request",
            new JsonObject { ["code"] = code, ["cursor_pos"] = CodePoints.FromUtf16Index(code, cursor) }, cancellationToken).ConfigureAwait(false);
        var c = reply.Content;
        var matches = (c["matches"] as JsonArray ?? new JsonArray()).Select(m => (string?)m ?? "").ToList();
        var start = CodePoints.ToUtf16Index(code, (int?)c["cursor_start"] ?? cursor);
        var end = CodePoints.ToUtf16Index(code, (int?)c["cursor_end"] ?? cursor);
        return new CompletionResult(matches, start, end);
    }

    /// <inheritdoc/>
    public async Task<string?> InspectAsync(string code, int cursor, CancellationToken cancellationToken)
    {
        JupyterClient client;
        try { client = await StartAsync(cancellationToken).ConfigureAwait(false); }
        catch (JupyterKernelException) { return null; }
        var reply = await client.RequestAsync("inspect_request",
            new JsonObject { ["code"] = code, ["cursor_pos"] = CodePoints.FromUtf16Index(code, cursor), ["detail_level"] = 0 }, cancellationToken).ConfigureAwait(false);
        if (reply.Content["found"] is JsonValue f && f.TryGetValue<bool>(out var found) && !found) return null;
        return (string?)reply.Content["data"]?["text/plain"] is { } text ? StripAnsi(text) : null;
    }

    private static MimeBundle Bundle(JsonObject content)
    {
        var bundle = new MimeBundle();
        if (content["data"] is JsonObject data)
            foreach (var (mime, value) in data)
            {
                if (value is null) continue;
                if (value is JsonValue v && v.TryGetValue<string>(out var s)) bundle.Add(mime, s);
                else bundle.AddJson(mime, value.DeepClone());
            }
        if (content["metadata"] is JsonObject metadata)
            foreach (var (k, v) in metadata) bundle.Metadata[k] = v?.DeepClone();
        return bundle;
    }

    private static CellError Error(JsonObject content)
    {
        var name = (string?)content["ename"] ?? "Error";
        var value = StripAnsi((string?)content["evalue"] ?? "");
        var traceback = (content["traceback"] as JsonArray ?? new JsonArray()).Select(t => StripAnsi((string?)t ?? "")).ToList();
        if (traceback.Count == 0) traceback.Add($"{name}: {value}");
        return new CellError(name, value, traceback);
    }

    /// <summary>Text without ANSI colour and cursor sequences (IPython colours its tracebacks).</summary>
    public static string StripAnsi(string text) => AnsiSequence().Replace(text, "");

    [GeneratedRegex(@"\x1b\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex AnsiSequence();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PythonIdentifier();

    /// <summary>Shuts the kernel down (shutdown_request, then kill).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var client = Interlocked.Exchange(ref _client, null);
        if (client is null) return;
        try { client.ShutdownAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult(); }
        finally { client.Dispose(); }
    }
}
