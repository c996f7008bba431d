"""Drives F# cells of the workbench-csharp kernel as a real Jupyter client would (jupyter_client): defines a value,
completes and inspects F#, interrupts a long F# loop and runs the next F# cell. Prints what it observed as one JSON
object; the C# test makes the assertions. Run with Debian's /usr/bin/python3."""
import json
import time

from jupyter_client.manager import KernelManager

results = {}


def shell_reply(msg_id, timeout=120):
    """The shell reply to msg_id (other replies are skipped)."""
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def run(code):
    """Executes code; returns (seconds, reply status, text/plain results)."""
    outputs = []
    t = time.time()
    reply = kc.execute_interactive(code, timeout=300, output_hook=lambda m: outputs.append(m))
    return (time.time() - t, reply["content"]["status"],
            [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"])


km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=120)
    run("var warm = 1;")
    seconds, status, values = run("#!fsharp\nlet kept = 21")
    results["first_fsharp"] = {"seconds": seconds, "status": status}
    seconds, status, values = run("#!fsharp\nkept * 2")
    results["second_fsharp"] = {"seconds": seconds, "status": status, "values": values}

    code = "var a = 1;\n#!fsharp\nList.ma"
    c = kc.complete(code, len(code), reply=True, timeout=120)["content"]
    results["complete"] = {"matches": c["matches"], "cursor_start": c["cursor_start"], "cursor_end": c["cursor_end"]}
    code = "#!fsharp\nkept + 1"
    i = kc.inspect(code, code.index("kept") + 2, reply=True, timeout=120)["content"]
    results["inspect"] = {"found": i["found"], "text": i["data"].get("text/plain", "")}

    # Interrupt an F# loop that polls the cell's Cancellation once it is looping; the next F# cell must run.
    msg_id = kc.execute("#!fsharp\nprintfn \"looping\"\nwhile true do\n    Cancellation.ThrowIfCancellationRequested()\n    System.Threading.Thread.Sleep 5")
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and "looping" in m["content"]["text"]:
            break
    km.interrupt_kernel()
    r = shell_reply(msg_id, timeout=60)
    results["interrupt"] = {"status": r["content"]["status"], "ename": r["content"].get("ename")}
    seconds, status, values = run("#!fsharp\nkept + 1")
    results["after_interrupt"] = {"status": status, "values": values}

    kc.shutdown()
    try:
        code = km.provisioner.process.wait(timeout=30)
    except Exception:
        code = None
    results["shutdown"] = {"exit_code": code}
finally:
    kc.stop_channels()
    if km.has_kernel and km.is_alive():
        km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
