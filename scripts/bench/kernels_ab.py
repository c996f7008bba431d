#!/usr/bin/python3
"""F# and C# kernel latencies of several kernels, interleaved (not a test): an A/B of two builds of the workbench
kernel beside the official .NET Interactive kernel, on a machine too loaded for one run after the other to compare.
Each round starts every kernel once, in an order that rotates between rounds, so load falls on all alike; the table
gives each figure's median with its range over the rounds.

    # two builds of the notebook host (e.g. main's copied aside, and this tree's), and the official kernel
    dotnet build src/Workbench.Host -c Release && cp -r src/Workbench.Host/bin/Release/net10.0 /tmp/wb-new
    eval "$(bash scripts/install-official-kernel.sh)"
    /usr/bin/python3 scripts/bench/kernels_ab.py --rounds 3 --scenario csharp-first \\
        --host old=/tmp/wb-old --host new=/tmp/wb-new --official

Scenarios (execute request to idle, as a Jupyter front end sees it):
  csharp-first  scripts/bench/kernels.sh's order: first C# cell at once after kernel_info, 5 later C# cells, first F#
                cell, 5 later F# cells (medians of the 5)
  fsharp-first  the first F# cell at once after kernel_info, then 5 later ones
  idle:S        S seconds with no request (a user reading the notebook), then the first F# cell and 5 later ones
  memory:S      the first C# cell, S seconds idle, then the kernel's resident memory (its process and children)
The kernels' stderr (the workbench kernel logs when completion and F# are warm) goes to this script's stderr."""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--scenario", default="csharp-first")
parser.add_argument("--host", action="append", default=[], metavar="NAME=DIR[,VAR=VALUE...]",
                    help="a build of the notebook host: the folder holding workbench-host.dll, and optionally environment "
                         "variables for its process (e.g. old=/tmp/wb,DOTNET_gcServer=1)")
parser.add_argument("--official", action="store_true",
                    help="also the official kernel (.net-csharp; DOTNET_INTERACTIVE_JUPYTER_PATH from install-official-kernel.sh)")
args = parser.parse_args()

specs = tempfile.mkdtemp(prefix="kernels-ab-")
kernels = []
for host in args.host:
    name, _, rest = host.partition("=")
    folder, *assignments = rest.split(",")
    env = dict(a.split("=", 1) for a in assignments)
    dll = os.path.join(os.path.abspath(folder), "workbench-host.dll")
    if not os.path.isfile(dll):
        sys.exit(f"kernels_ab: --host {host}: no workbench-host.dll in {folder}")
    os.makedirs(os.path.join(specs, "kernels", f"wb-{name}"))
    with open(os.path.join(specs, "kernels", f"wb-{name}", "kernel.json"), "w") as f:
        json.dump({"argv": ["dotnet", dll, "kernel", "run", "-f", "{connection_file}"], "display_name": f"workbench {name}",
                   "language": "csharp", "interrupt_mode": "message", "env": env}, f)
    kernels.append(f"wb-{name}")
paths = [specs]
if args.official:
    official = os.environ.get("DOTNET_INTERACTIVE_JUPYTER_PATH")
    if not official:
        sys.exit("kernels_ab: --official needs DOTNET_INTERACTIVE_JUPYTER_PATH (eval \"$(bash scripts/install-official-kernel.sh)\")")
    paths.append(official)
    kernels.append(".net-csharp")
if not kernels:
    sys.exit("kernels_ab: name at least one --host or --official")
os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
os.environ.setdefault("WORKBENCH_HISTORY_DIR", specs)  # the kernels' history stays out of the user's
os.chdir(specs)


def run(kc, code):
    """Seconds from execute to the idle status; raises with the kernel's error when the cell fails."""
    errors = []
    t0 = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=600, allow_stdin=False,
                                   output_hook=lambda m: errors.append(m["content"]) if m["msg_type"] == "error" else None)
    seconds = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        e = errors[0] if errors else reply["content"]
        raise RuntimeError(f"{e.get('ename')}: {str(e.get('evalue'))[:200]}")
    return seconds


def resident_mb(pid):
    pids = [pid]
    try:
        pids += [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        pass
    kb = 0
    for p in pids:
        try:
            kb += next(int(l.split()[1]) for l in open(f"/proc/{p}/status") if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return kb / 1024


def later(kc, code):
    return statistics.median(run(kc, code) for _ in range(5))


def once(name):
    r = {"kernel": name, "load": float(open("/proc/loadavg").read().split()[0])}
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=600)
        r["start"] = time.perf_counter() - t0
        kind, _, seconds = args.scenario.partition(":")
        if kind == "csharp-first":
            r["first C#"] = run(kc, "1 + 1")
            r["later C#"] = later(kc, "1 + 1")
        elif kind == "idle":
            time.sleep(float(seconds))
        elif kind == "memory":
            r["first C#"] = run(kc, "1 + 1")
            time.sleep(float(seconds))
            r["resident MB"] = resident_mb(km.provisioner.process.pid)
        elif kind != "fsharp-first":
            raise SystemExit(f"kernels_ab: unknown scenario '{args.scenario}'")
        if kind != "memory":
            r["first F#"] = run(kc, "#!fsharp\n1 + 1")
            r["later F#"] = later(kc, "#!fsharp\n1 + 1")
    except RuntimeError as e:
        r["error"] = str(e)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(r), flush=True)
    return r


results = []
for i in range(args.rounds):
    for k in kernels[i % len(kernels):] + kernels[:i % len(kernels)]:
        results.append(once(k))

print(f"\n{args.scenario}, {args.rounds} rounds, load average {min(r['load'] for r in results):.0f}–"
      f"{max(r['load'] for r in results):.0f}; median (min–max), seconds (memory in MB)\n")
print("| measure | " + " | ".join(kernels) + " |")
print("|---|" + "--:|" * len(kernels))
for m in ["start", "first C#", "later C#", "first F#", "later F#", "resident MB"]:
    if not any(m in r for r in results):
        continue
    cells = []
    for k in kernels:
        xs = sorted(r[m] for r in results if r["kernel"] == k and m in r)
        f = "{:.0f}" if m == "resident MB" else "{:.3f}"
        cells.append(f"{f.format(statistics.median(xs))} ({f.format(xs[0])}–{f.format(xs[-1])})" if xs else "–")
    print(f"| {m} | " + " | ".join(cells) + " |")
for r in results:
    if "error" in r:
        print(f"{r['kernel']}: {r['error']}")
