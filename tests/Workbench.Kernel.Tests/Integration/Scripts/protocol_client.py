"""Drives the workbench-csharp kernel through jupyter_client on what ipykernel does beyond running cells: output written
after a cell ended (to the running cell, else the last one), user_expressions, inspect_request on a variable, and
tracebacks that name the cells, inspect's detail_level. Prints one JSON line "RESULTS {...}". Run with Debian's /usr/bin/python3."""
import json
import os
import tempfile
import time

from jupyter_client.manager import KernelManager

results = {}
km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()


def shell_reply(msg_id, timeout=60):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def until_idle(msg_id, timeout=60):
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return seen


def execute(code, **kwargs):
    msg_id = kc.execute(code, **kwargs)
    seen = until_idle(msg_id)
    return msg_id, shell_reply(msg_id)["content"], seen


def streams_until(text, deadline_seconds=30):
    """Stream messages (parent msg_id, text) until one contains text (a deadline for what must come, not a timing)."""
    got = []
    deadline = time.time() + deadline_seconds
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except Exception:
            continue
        if m["msg_type"] == "stream":
            got.append((m["parent_header"].get("msg_id"), m["content"]["text"]))
            if text in m["content"]["text"]:
                break
    return got


try:
    kc.wait_for_ready(timeout=120)

    # A task started by a cell prints after the next cell ended, when no cell runs: its text goes to that last cell.
    # It waits for a file the client creates once that cell is idle, so the text cannot come while the cell runs.
    flag = os.path.join(tempfile.mkdtemp(prefix="wb-late-"), "go")
    go = (f'var tick = "{flag}";\n'
          '_ = Task.Run(async () => { while (!File.Exists(tick)) await Task.Delay(20); Console.WriteLine("tick after the cell"); });')
    first, reply, _ = execute(go)
    last, _, _ = execute("var ticking = true;")
    open(flag, "w").close()
    got = streams_until("tick after the cell")
    results["late_idle"] = {"parents": [p for p, t in got if "tick after the cell" in t], "last": last, "first": first}

    # A background task writes while another cell runs: its text goes to the running cell.
    execute('var go2 = new SemaphoreSlim(0);\nvar done2 = new SemaphoreSlim(0);\n'
            '_ = Task.Run(async () => { await go2.WaitAsync(); Console.WriteLine("from the background"); done2.Release(); });')
    running, _, seen = execute('go2.Release();\ndone2.Wait();\nConsole.WriteLine("own");')
    results["late_running"] = {"running": running,
                               "streams": "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")}

    # user_expressions are evaluated after the cell and returned with the reply.
    _, reply, _ = execute("var answer = 40 + 2;", user_expressions={"double": "answer * 2", "bad": "nope + 1"})
    results["user_expressions"] = reply["user_expressions"]
    results["count_after_expressions"] = execute("1")[1]["execution_count"]

    # inspect_request on a variable: its type and value; on a member: its signature and documentation.
    i = kc.inspect("answer", 3, reply=True, timeout=60)["content"]
    results["inspect_variable"] = {"found": i["found"], "text": i["data"].get("text/plain", "")}
    i = kc.inspect("Math.Max(1, 2)", 6, reply=True, timeout=60)["content"]
    results["inspect_member"] = {"found": i["found"], "text": i["data"].get("text/plain", "")}

    # A traceback names the cells and shows their lines.
    execute("int Div(int d)\n{\n    return 1 / d;\n}")
    _, reply, seen = execute("var zero = 0;\nDiv(zero)")
    results["traceback"] = reply["traceback"]

    # detail_level 1 (IPython's x??) adds the source of what an earlier cell declared; 0 stays as above.
    for name, code, pos in (("method", "Div(1)", 1), ("variable", "answer", 3)):
        for level in (0, 1):
            i = kc.inspect(code, pos, detail_level=level, reply=True, timeout=60)["content"]
            results[f"inspect_{name}_{level}"] = i["data"].get("text/plain", "")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
