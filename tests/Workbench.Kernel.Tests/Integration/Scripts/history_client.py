"""Drives the workbench-csharp kernel's history_request through jupyter_client as a frontend would: cells in one
kernel, a restart, cells in the next, a second kernel writing at the same time, then tail, range and search with the
output and raw flags. The history folder is the one WORKBENCH_HISTORY_DIR names (fresh per test). Prints one JSON line
"RESULTS {...}". Run with Debian's /usr/bin/python3."""
import json

from jupyter_client.manager import KernelManager

results = {}


def shell_reply(kc, msg_id, timeout=120):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


def execute(kc, code, **kwargs):
    return shell_reply(kc, kc.execute(code, **kwargs))


def history(kc, **kwargs):
    return kc.history(reply=True, timeout=60, **kwargs)["content"]


km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
other_km = other = None
try:
    kc.wait_for_ready(timeout=180)
    execute(kc, "var a = 20;")
    execute(kc, "a + 1")
    execute(kc, "var hidden = 0;", store_history=False)  # not a cell of the history, as in IPython
    execute(kc, "throw new Exception(\"boom\");")           # failing cells are history too
    results["first_session"] = history(kc, hist_access_type="range", session=0, start=1, output=True)

    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=180)
    results["after_restart"] = history(kc, hist_access_type="range", session=0, start=1)  # the new session exists now
    # A second kernel on the same store, its cells interleaved with the restarted kernel's.
    other_km = KernelManager(kernel_name="workbench-csharp")
    other_km.start_kernel()
    other = other_km.client()
    other.start_channels()
    other.wait_for_ready(timeout=180)
    for i in range(3):
        execute(kc, f"var b{i} = {i};")
        execute(other, f"var c{i} = {i};")
    execute(kc, "a + 1")  # a is gone with the first kernel: an error, still history

    results["tail"] = history(kc, hist_access_type="tail", n=100)
    results["tail_3_output"] = history(kc, hist_access_type="tail", n=3, output=True)
    results["range_previous"] = history(kc, hist_access_type="range", session=-1, start=1, stop=3, raw=False)
    results["range_current"] = history(kc, hist_access_type="range", session=0, start=2)
    results["search"] = history(kc, hist_access_type="search", pattern="a + *")
    results["search_unique"] = history(kc, hist_access_type="search", pattern="a + *", unique=True)
    results["search_n"] = history(kc, hist_access_type="search", pattern="var ?? = *", n=2)
    results["other_current"] = history(other, hist_access_type="range", session=0, start=1)
    results["bad"] = history(kc, hist_access_type="everything")
finally:
    for client, manager in ((kc, km), (other, other_km)):
        if client is not None:
            client.stop_channels()
        if manager is not None:
            manager.shutdown_kernel(now=False)
            manager.cleanup_resources()

print("RESULTS " + json.dumps(results))
