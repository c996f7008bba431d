using Workbench.Notebooks.Mime;
using System.Text.Json.Nodes;
using Workbench.Kernel.Protocol;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Kernel.Hosting;

/// <summary>A cell's side outputs as IOPub messages answering its execute_request (nothing when the request is silent).</summary>
internal sealed class KernelOutput : ICellOutput
{
    private readonly IopubChannel _iopub;
    private readonly JupyterMessage _parent;
    private readonly bool _silent;

    public KernelOutput(IopubChannel iopub, JupyterMessage parent, bool silent)
    {
        _iopub = iopub;
        _parent = parent;
        _silent = silent;
    }

    public void Stream(string name, string text)
    {
        if (_silent) return;
        _iopub.Publish(JupyterMessage.Create("stream", new JsonObject { ["name"] = name, ["text"] = text }, _parent));
    }

    public void Display(MimeBundle bundle, string? displayId) => Send("display_data", bundle, displayId);

    public void UpdateDisplay(MimeBundle bundle, string displayId) => Send("update_display_data", bundle, displayId);

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
