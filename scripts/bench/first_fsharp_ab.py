"""First F# cell, A/B: wall time and the kernel process's CPU time (user+sys from /proc/PID/stat), for several kernels
started in turn (the order reversed every round), each driven as scripts/bench/kernels.py does: start, `1 + 1` in
C#, `#!fsharp 1 + 1` (the first F# cell), five later F# cells right after it, then five more once the kernel is idle.
CPU time is what to compare on a loaded machine; wall time is what a user sees.

    /usr/bin/python3 scripts/bench/first_fsharp_ab.py ROUNDS NAME=SPEC[,VAR=VALUE...] ...

SPEC is a folder holding workbench.dll (a CLI build output, e.g. a copy of src/Workbench.Cli/bin/Release/net10.0
from before and after a change) or a kernel.json (e.g. the official kernel's, from scripts/install-official-kernel.sh);
VAR=VALUE pairs are set in that kernel's environment (e.g. DOTNET_TieredPGO=0). SETTLE=1 in this script's environment
waits for the kernel to go idle before the first F# cell, so that its CPU time excludes background work. Prints a line
per kernel run and, at the end, medians and ranges per kernel."""
import json
import os
import statistics
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def run(kc, code):
    t0 = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=600, allow_stdin=False, output_hook=lambda m: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return time.perf_counter() - t0


def wait_idle(pid, limit):
    """Waits (at most limit seconds) until the process used under 30 ms of CPU in one second."""
    previous, end = cpu(pid), time.time() + limit
    while time.time() < end:
        time.sleep(1.0)
        now = cpu(pid)
        if now - previous < 0.03:
            return
        previous = now


def kernel_json(spec):
    if spec.endswith(".json"):
        return json.load(open(spec))
    return {"argv": ["dotnet", os.path.join(os.path.abspath(spec), "workbench.dll"), "kernel", "run", "-f", "{connection_file}"],
            "display_name": "workbench under test", "language": "csharp", "interrupt_mode": "message"}


def main():
    rounds = int(sys.argv[1])
    variants = []
    for arg in sys.argv[2:]:
        name, rest = arg.split("=", 1)
        spec, *env = rest.split(",")
        variants.append((name, spec, dict(e.split("=", 1) for e in env)))
    settle = os.environ.get("SETTLE") == "1"
    tmp = tempfile.mkdtemp()
    results = {name: [] for name, _, _ in variants}
    for r in range(rounds):
        for name, spec, env in (variants if r % 2 == 0 else variants[::-1]):
            folder = os.path.join(tmp, name, "kernels", "under-test")
            os.makedirs(folder, exist_ok=True)
            json.dump(kernel_json(spec), open(os.path.join(folder, "kernel.json"), "w"))
            km = KernelManager(kernel_name="under-test")
            km.kernel_spec_manager = KernelSpecManager(kernel_dirs=[os.path.dirname(folder)])
            t0 = time.perf_counter()
            km.start_kernel(env={**os.environ, **env}, cwd=tmp)
            pid = km.provisioner.process.pid
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=600)
                start = time.perf_counter() - t0
                first_cs = run(kc, "1 + 1")
                if settle:
                    wait_idle(pid, 40)
                before = cpu(pid)
                first_fs = run(kc, "#!fsharp\n1 + 1")
                after = cpu(pid)
                later = statistics.median(run(kc, "#!fsharp\n1 + 1") for _ in range(5))
                wait_idle(pid, 30)
                later_idle = statistics.median(run(kc, "#!fsharp\n1 + 1") for _ in range(5))
                row = {"start": start, "first C#": first_cs, "first F#": first_fs, "first F# CPU": after - before,
                       "CPU to first F# reply": after, "later F#": later, "later F# when idle": later_idle,
                       "load": float(open("/proc/loadavg").read().split()[0])}
                results[name].append(row)
                print(name, json.dumps({k: round(v, 3) for k, v in row.items()}), flush=True)
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
    print()
    for name, rows in results.items():
        parts = []
        for key in ["first F#", "first F# CPU", "CPU to first F# reply", "later F#", "later F# when idle", "start", "first C#"]:
            v = sorted(row[key] for row in rows)
            parts.append(f"{key} {statistics.median(v):.2f} s ({v[0]:.2f}-{v[-1]:.2f})")
        print(f"{name}: " + " | ".join(parts))


if __name__ == "__main__":
    main()
