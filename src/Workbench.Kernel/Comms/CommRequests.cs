using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Protocol;
using Workbench.Kernel.Hosting;

namespace Workbench.Kernel.Comms;

/// <summary>
/// The comm requests of the messaging spec on the shell channel: comm_info_request (answered with the open comms, only
/// those of its target_name when given) and comm_open, comm_msg, comm_close from a front end (handed to the session,
/// whose handlers' output and answering comm messages go to IOPub with the request as parent, as ipykernel's do).
/// </summary>
internal static class CommRequests
{
    /// <summary>True for the message types <see cref="Handle"/> serves.</summary>
    public static bool Handles(string messageType) => messageType is "comm_info_request" or "comm_open" or "comm_msg" or "comm_close";

    /// <summary>Serves one request; <paramref name="reply"/> sends a shell reply (comm_info_request has one, the others none).</summary>
    public static void Handle(NotebookSession session, IopubChannel iopub, JupyterMessage request, Action<string, JsonObject> reply)
    {
        if (request.MessageType == "comm_info_request")
        {
            var target = (string?)request.Content["target_name"];
            var comms = new JsonObject();
            foreach (var (id, name) in session.Comms.Info(target)) comms[id] = new JsonObject { ["target_name"] = name };
            reply("comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = comms });
            return;
        }
        var output = new KernelOutput(iopub, request, silent: false);
        session.ReceiveCommAsync(request.MessageType, request.Content, request.Metadata, request.Buffers, output).GetAwaiter().GetResult();
    }
}
