#!/usr/bin/python3
"""Kernel latency benchmark (not a test): time to kernel_info_reply after start, first trivial cell, later trivial
cells. Installs the kernelspec of a built workbench into a temporary prefix and drives it with jupyter_client.

    dotnet build src/Workbench.Cli -c Release
    /usr/bin/python3 scripts/bench/kernel_latency.py [path/to/workbench] [--cells N]

Targets: kernel_info_reply < 1 s, first trivial cell < 1.5 s, later trivial cells < 50 ms (median)."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
parser = argparse.ArgumentParser()
parser.add_argument("workbench", nargs="?", default=os.path.join(ROOT, "src/Workbench.Cli/bin/Release/net10.0/workbench"))
parser.add_argument("--cells", type=int, default=30)
args = parser.parse_args()
if not os.path.exists(args.workbench):
    sys.exit(f"kernel_latency: {args.workbench} not found; build it with: dotnet build src/Workbench.Cli -c Release")

prefix = tempfile.mkdtemp(prefix="wb-bench-")
subprocess.run([args.workbench, "kernel", "install", "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"

from jupyter_client.manager import KernelManager  # noqa: E402  (after JUPYTER_PATH is set)


def run(kc, code):
    t = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r["parent_header"].get("msg_id") == msg_id:
            break
    assert r["content"]["status"] == "ok", r["content"]
    return time.perf_counter() - t


km = KernelManager(kernel_name="workbench-csharp")
t0 = time.perf_counter()
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    # Poll kernel_info until the first reply: the time a frontend waits before the kernel is usable.
    # Requests sent before the kernel binds are queued by ZeroMQ: any reply to any of them ends the wait.
    sent = set()
    while True:
        sent.add(kc.kernel_info())
        try:
            r = kc.get_shell_msg(timeout=0.05)
            if r["parent_header"].get("msg_id") in sent:
                break
        except Exception:
            pass
    info = time.perf_counter() - t0
    first = run(kc, "1 + 1")
    later = [run(kc, f"{i} + 1") for i in range(args.cells)]
    print(f"kernel_info_reply after start: {info * 1000:7.0f} ms  (target < 1000)")
    print(f"first trivial cell:            {first * 1000:7.0f} ms  (target < 1500)")
    print(f"later trivial cells (median):  {statistics.median(later) * 1000:7.1f} ms  (target < 50; "
          f"min {min(later) * 1000:.1f}, max {max(later) * 1000:.1f}, n={len(later)})")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    subprocess.run(["rm", "-rf", prefix])
    # Drop the client now: its __del__ logs, which fails noisily once the interpreter is tearing logging down.
    del kc
