"""Drives the workbench-csharp kernel as a real Jupyter client would (jupyter_client + pyzmq) and prints what it
observed as one JSON object; the C# test makes the assertions. Run with Debian's /usr/bin/python3."""
import json
import os
import sys
import tempfile
import time
import uuid

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

results = {}


def shell_reply(msg_id, timeout=60):
    """The shell reply to msg_id (other replies are skipped)."""
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


km = KernelManager(kernel_name="workbench-csharp")
t0 = time.time()
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    results["ready_seconds"] = time.time() - t0
    info = kc.kernel_info(reply=True, timeout=20)["content"]
    results["kernel_info"] = {k: info.get(k) for k in ("protocol_version", "implementation")}
    results["language_info"] = info["language_info"]

    results["is_complete"] = {
        "complete": shell_reply(kc.is_complete("var x = 1;"))["content"]["status"],
        "incomplete": shell_reply(kc.is_complete("for (var i = 0; i < 3; i++) {"))["content"]["status"],
    }

    reply = kc.execute_interactive("var answer = 40 + 2;", timeout=60)
    results["define_status"] = reply["content"]["status"]
    outputs = []
    kc.execute_interactive('((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(System.IO.Path.PathSeparator)'
                           '.Count(p => System.IO.Path.GetFileName(p) == "Workbench.Core.dll")',
                           timeout=60, output_hook=lambda m: outputs.append(m))
    results["core_in_tpa"] = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]

    c = kc.complete("var r = Math.", 13, reply=True, timeout=60)["content"]
    results["complete_math"] = {"matches": c["matches"], "cursor_start": c["cursor_start"], "cursor_end": c["cursor_end"]}
    c = kc.complete("answer.CompareT", 15, reply=True, timeout=60)["content"]
    results["complete_answer"] = {"matches": c["matches"], "cursor_start": c["cursor_start"], "cursor_end": c["cursor_end"]}

    i = kc.inspect("Math.Sqrt(2)", 7, reply=True, timeout=60)["content"]
    results["inspect"] = {"found": i["found"], "text": i["data"].get("text/plain", "")}

    # Interrupt a cell that polls its token: the reply must come back quickly, and the session must survive.
    msg_id = kc.execute("while (true) { Cancellation.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(5); }")
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    time.sleep(0.5)
    t_int = time.time()
    km.interrupt_kernel()
    r = shell_reply(msg_id, timeout=10)
    results["interrupt"] = {"seconds": time.time() - t_int, "status": r["content"]["status"], "ename": r["content"].get("ename")}
    outputs = []
    reply = kc.execute_interactive("answer", timeout=60, output_hook=lambda m: outputs.append(m))
    results["after_interrupt"] = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]

    # Output is streamed as written: text printed before a pause arrives as its own message, before the cell ends.
    msg_id = kc.execute('Console.WriteLine("before"); System.Threading.Thread.Sleep(1000); Console.WriteLine("after");')
    streams = []
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            streams.append(m["content"]["text"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    results["streams"] = streams

    # stop_on_error: a request already waiting behind a failing cell is answered "aborted". "Already waiting" is the
    # point: the failing cell holds its error until the client has sent the second request, otherwise a busy machine
    # lets the cell fail before that request exists and the kernel rightly runs it ("ok").
    release = os.path.join(tempfile.mkdtemp(), "release")
    failing = kc.execute(
        f'while (!System.IO.File.Exists(@"{release}")) System.Threading.Thread.Sleep(5); throw new Exception("stop here");')
    queued = kc.execute("1 + 1")
    open(release, "w").close()
    results["abort"] = [shell_reply(failing)["content"]["status"], shell_reply(queued)["content"]["status"]]

    # ...and a request sent once the error reply has arrived is not one of them: it runs ("ok"), every time.
    after_error = []
    for _ in range(10):
        shell_reply(kc.execute('throw new Exception("again");'))
        after_error.append(shell_reply(kc.execute("2 + 2"))["content"]["status"])
    results["after_error"] = after_error

    # A message signed with the wrong key is dropped (no reply); a correctly signed one on the same socket is answered.
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"tcp://{km.ip}:{km.shell_port}")
    forged = Session(key=b"not-the-key", username="mallory")
    forged.send(sock, "kernel_info_request", {})
    results["forged_reply"] = bool(sock.poll(1500))
    honest = Session(key=km.session.key, username="alice")
    honest.send(sock, "kernel_info_request", {})
    results["honest_reply"] = bool(sock.poll(10000))
    sock.close()
    results["alive_after_forgery"] = kc.kernel_info(reply=True, timeout=20)["content"]["status"]

    # Shutdown: the kernel must exit by itself (exit code 0), not be killed.
    kc.shutdown()
    process = km.provisioner.process
    t_sd = time.time()
    try:
        code = process.wait(timeout=15)
    except Exception:
        code = None
    results["shutdown"] = {"exit_code": code, "seconds": time.time() - t_sd}
finally:
    kc.stop_channels()
    if km.has_kernel and km.is_alive():
        km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
