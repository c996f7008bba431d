"""Sends execute_requests whose metadata names the cell's language the way .NET Interactive's Jupyter kernel reads it
(polyglot_notebook.kernelName, dotnet_interactive.language) and prints the outputs of each as one JSON object; the
C# test makes the assertions. Run with Debian's /usr/bin/python3."""
import json

from jupyter_client.manager import KernelManager

km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
results = {}


def run(name, code, metadata):
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                         metadata=metadata)
    kc.shell_channel.send(msg)
    msg_id = msg["header"]["msg_id"]
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] in ("display_data", "execute_result"):
            outputs.append(sorted(m["content"]["data"].keys()))
        elif m["msg_type"] == "error":
            outputs.append(["error", m["content"]["ename"], m["content"]["evalue"]])
        elif m["msg_type"] == "stream":
            outputs.append(["stream", m["content"]["text"]])
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    results[name] = outputs


try:
    kc.wait_for_ready(timeout=60)
    run("polyglot_html", "<b>bold</b>", {"polyglot_notebook": {"kernelName": "html"}})
    run("legacy_mermaid", "graph LR\n  A --> B", {"dotnet_interactive": {"language": "mermaid"}})
    # Both present: polyglot_notebook wins, as in .NET Interactive.
    run("both", "**md**", {"dotnet_interactive": {"language": "html"}, "polyglot_notebook": {"kernelName": "markdown"}})
    run("alias", "Console.WriteLine(1 + 1);", {"polyglot_notebook": {"kernelName": "C#"}})
    run("none", "Console.WriteLine(\"default\");", {})
    run("unknown", "x", {"polyglot_notebook": {"kernelName": "cobol"}})
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print("RESULTS " + json.dumps(results))
