using Workbench.Notebooks.Mime;
using System.Text.Json.Nodes;
using Workbench.Protocol;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Kernel.Hosting;

/// <summary>A cell's side outputs as IOPub messages answering its execute_request (nothing when the request is silent).</summary>
internal sealed class KernelOutput : ICellOutput
{
    private readonly IopubChannel _iopub;
    private readonly JupyterMessage _parent;
    private readonly bool _silent;
    private readonly StdinChannel? _stdin;

    /// <param name="iopub">Where outputs go.</param>
    /// <param name="parent">The execute_request.</param>
    /// <param name="silent">Its silent flag: nothing is published.</param>
    /// <param name="stdin">The stdin channel when the request allowed stdin (allow_stdin), else null: input requests fail.</param>
    public KernelOutput(IopubChannel iopub, JupyterMessage parent, bool silent, StdinChannel? stdin = null)
    {
        _iopub = iopub;
        _parent = parent;
        _silent = silent;
        _stdin = stdin;
    }

    public Task<string> RequestInputAsync(string prompt, bool password, CancellationToken cancellationToken) =>
        _stdin is null
            ? Task.FromException<string>(new InputUnavailableException(prompt, "this front end cannot answer input (the execute_request did not allow stdin)"))
            : _stdin.RequestAsync(_parent, prompt, password, cancellationToken);

    public void Stream(string name, string text)
    {
        if (_silent) return;
        _iopub.Publish(JupyterMessage.Create("stream", new JsonObject { ["name"] = name, ["text"] = text }, _parent));
    }

    public void Display(MimeBundle bundle, string? displayId) => Send("display_data", bundle, displayId);

    public void UpdateDisplay(MimeBundle bundle, string displayId) => Send("update_display_data", bundle, displayId);

    // Comm messages go out even for a silent request: they keep widget state in step, they are not outputs.
    // The topic names the comm, as ipykernel's does.
    public void SendComm(string messageType, JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers)
    {
        var topic = System.Text.Encoding.ASCII.GetBytes("comm-" + (string?)content["comm_id"]);
        var message = JupyterMessage.Create(messageType, content, _parent, [topic]);
        message.Metadata.Clear();
        foreach (var (key, value) in metadata) message.Metadata[key] = value?.DeepClone();
        message.Buffers.AddRange(buffers);
        _iopub.Publish(message);
    }

    private void Send(string type, MimeBundle bundle, string? displayId)
    {
        if (_silent) return;
        var content = new JsonObject
        {
            ["data"] = bundle.DataToJson(),
            ["metadata"] = bundle.Metadata.DeepClone(),
            ["transient"] = displayId is null ? new JsonObject() : new JsonObject { ["display_id"] = displayId },
        };
        _iopub.Publish(JupyterMessage.Create(type, content, _parent));
    }
}
