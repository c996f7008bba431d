#!/usr/bin/python3
"""Kernel latency benchmark (not a test): time to kernel_info_reply after start, first trivial cell, later trivial
cells, and the first complete_request of a fresh kernel. Installs the kernelspec of each built workbench into a
temporary prefix and drives it with jupyter_client.

    dotnet build src/Workbench.Cli -c Release
    /usr/bin/python3 scripts/bench/kernel_latency.py [path/to/workbench ...] [--cells N] [--repeats R]
        [--completion-delays 0,1,3,6,10]

The first completion is measured on a fresh kernel for each delay: kernel_info_reply, then that many seconds with no
request (a user opening a notebook and starting to type), then a complete_request after 's.' on a string and the time
to its reply. The delay "warm" waits instead for the kernel's log line saying completion is warm (at most
--warm-timeout seconds), which measures the first completion once the start-up warm-up is done.
With several workbench paths (an A/B comparison of two builds) the builds alternate within each repeat, so load on the
machine falls on both alike; each figure is the median of the repeats with its range.

Targets: kernel_info_reply < 1 s, first trivial cell < 1.5 s, later trivial cells < 50 ms (median), first completion
< 300 ms."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
parser = argparse.ArgumentParser()
parser.add_argument("workbench", nargs="*", default=[os.path.join(ROOT, "src/Workbench.Cli/bin/Release/net10.0/workbench")])
parser.add_argument("--cells", type=int, default=30)
parser.add_argument("--repeats", type=int, default=1)
parser.add_argument("--completion-delays", default="0,3,10,warm",
                    help="seconds between kernel_info_reply and the first complete_request, or 'warm', comma-separated ('' skips)")
parser.add_argument("--warm-timeout", type=float, default=120)
args = parser.parse_args()
delays = [d.strip() if d.strip() == "warm" else float(d) for d in args.completion_delays.split(",") if d.strip()]
for w in args.workbench:
    if not os.path.exists(w):
        sys.exit(f"kernel_latency: {w} not found; build it with: dotnet build src/Workbench.Cli -c Release")

scratch = tempfile.mkdtemp(prefix="wb-bench-")
prefixes = []
for i, w in enumerate(args.workbench):
    prefix = os.path.join(scratch, f"build{i}")
    subprocess.run([w, "kernel", "install", "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
    prefixes.append(prefix)
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
os.environ["WORKBENCH_HISTORY_DIR"] = os.path.join(scratch, "history")  # not the user's history file

from jupyter_client.manager import KernelManager  # noqa: E402


def shell_reply(kc, msg_id):
    while True:
        r = kc.get_shell_msg(timeout=120)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


def run(kc, code):
    t = time.perf_counter()
    content = shell_reply(kc, kc.execute(code))
    assert content["status"] == "ok", content
    return time.perf_counter() - t


def start(prefix, log):
    """A fresh kernel of the build installed in prefix; returns (manager, client, seconds to kernel_info_reply)."""
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")  # read when the manager finds the spec
    km = KernelManager(kernel_name="workbench-csharp")
    t0 = time.perf_counter()
    km.start_kernel(stderr=log)
    kc = km.client()
    kc.start_channels()
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
    return km, kc, time.perf_counter() - t0


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def cells(prefix):
    with tempfile.TemporaryFile() as log:
        km, kc, info = start(prefix, log)
        try:
            first = run(kc, "1 + 1")
            later = [run(kc, f"{i} + 1") for i in range(args.cells)]
        finally:
            stop(km, kc)
    return info, first, statistics.median(later)


WARM = re.compile(rb"completion is warm \((\d+) ms")


def first_completion(prefix, delay):
    """Seconds to the first complete_request's reply, sent `delay` s after kernel_info_reply (or once the kernel logs
    that completion is warm), the median of the next five, and the warm-up time the kernel logged (None when it logs
    none, as builds before the start-up warm-up)."""
    with tempfile.TemporaryFile() as log:
        km, kc, _ = start(prefix, log)
        try:
            if delay == "warm":
                deadline = time.time() + args.warm_timeout
                while time.time() < deadline:
                    log.seek(0)
                    if WARM.search(log.read()):
                        break
                    time.sleep(0.1)
            else:
                time.sleep(delay)
            code = 'var s = "";\ns.'
            t = time.perf_counter()
            content = shell_reply(kc, kc.complete(code, len(code)))
            took = time.perf_counter() - t
            assert "Substring" in content["matches"], content
            later = []
            for i in range(5):  # later completions, for comparison: what a warm kernel takes
                code = f'var s{i} = "";\ns{i}.'
                t = time.perf_counter()
                shell_reply(kc, kc.complete(code, len(code)))
                later.append(time.perf_counter() - t)
        finally:
            stop(km, kc)
        log.seek(0)
        warm = WARM.search(log.read())
    return took, statistics.median(later), int(warm.group(1)) / 1000 if warm else None


def summary(values, scale=1000, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    med = statistics.median(values) * scale
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values) * scale:.{digits}f}–{max(values) * scale:.{digits}f})"


results = {i: {"info": [], "first": [], "later": [], "warm-up": [], "later completions": [], **{d: [] for d in delays}} for i in range(len(prefixes))}
try:
    for _ in range(args.repeats):
        for i, prefix in enumerate(prefixes):
            info, first, later = cells(prefix)
            results[i]["info"].append(info)
            results[i]["first"].append(first)
            results[i]["later"].append(later)
        for d in delays:
            for i, prefix in enumerate(prefixes):
                took, later, warm = first_completion(prefix, d)
                results[i][d].append(took)
                results[i]["later completions"].append(later)
                results[i]["warm-up"].append(warm)
finally:
    subprocess.run(["rm", "-rf", scratch])

load = os.getloadavg()
print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load average "
      f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; median (min–max) of {args.repeats} repeat(s), ms")
for i, w in enumerate(args.workbench):
    r = results[i]
    print(f"\n{w}")
    print(f"  kernel_info_reply after start:        {summary(r['info'])}  (target < 1000)")
    print(f"  first trivial cell:                   {summary(r['first'])}  (target < 1500)")
    print(f"  later trivial cells (median of {args.cells}):   {summary(r['later'], digits=1)}  (target < 50)")
    for d in delays:
        when = "once warm (logged)  " if d == "warm" else f"{d:4.1f} s after ready"
        print(f"  first completion {when}:  {summary(r[d])}  (target < 300)")
    if delays:
        print(f"  later completions (median of 5):      {summary(r['later completions'])}")
        print(f"  completion warm-up (kernel's log):    {summary(r['warm-up'])} after the sockets were bound")
