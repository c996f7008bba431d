"""Runs a long #!python cell in the workbench-csharp kernel through jupyter_client, interrupts it, then runs another
Python cell; prints what it saw as one JSON line "RESULTS {...}". Run with Debian's /usr/bin/python3."""
import json
import time

from jupyter_client.manager import KernelManager

results = {}
km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=120)
    msg_id = kc.execute("#!python\nimport time\nprint('sleeping', flush=True)\ntime.sleep(60)\nprint('woke')")
    seen = []
    deadline = time.time() + 120
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            seen.append(m["content"]["text"])
            if "sleeping" in "".join(seen):
                break
    t0 = time.time()
    km.interrupt_kernel()
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r["parent_header"].get("msg_id") == msg_id:
            break
    # As a front end does, wait for the interrupted request's idle status before the next request: the kernel aborts
    # execute requests queued before it finished handling the error (stop_on_error).
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    results["interrupt"] = {"status": r["content"]["status"], "ename": r["content"].get("ename"),
                            "seconds": time.time() - t0, "streams": seen}
    outputs = []
    reply = kc.execute_interactive("#!python\n40 + 2", timeout=60, output_hook=outputs.append)
    results["after"] = {"status": reply["content"]["status"],
                        "results": [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]}
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
print("RESULTS " + json.dumps(results))
