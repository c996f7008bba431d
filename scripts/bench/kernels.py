"""Kernel latencies, measured as a Jupyter front end sees them (execute request to idle), for one kernel:
start, first and later C# cells, first and later F# cells, connecting a Python kernel (#!connect jupyter), and a
10^6-element float32 array crossing C# -> Python and Python -> C# (#!share). Prints one JSON object.

    /usr/bin/python3 scripts/bench/kernels.py KERNEL_NAME
Run through scripts/bench/kernels.sh, which installs both kernels and prints the table."""
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

kernel_name = sys.argv[1]
result = {"kernel": kernel_name}


def run(code, timeout=600):
    """Seconds from execute to the idle status; raises with the kernel's error when the cell fails."""
    errors = []
    t0 = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=timeout, allow_stdin=False,
                                   output_hook=lambda m: errors.append(m["content"]) if m["msg_type"] == "error" else None)
    seconds = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        e = errors[0] if errors else reply["content"]
        raise RuntimeError(f"{e.get('ename')}: {str(e.get('evalue'))[:200]}")
    return seconds


def measure(name, code, repeat=1, timeout=600):
    try:
        times = [run(code, timeout) for _ in range(repeat)]
        result[name] = statistics.median(times)
    except Exception as e:  # the table shows what failed instead of a number
        result[name] = f"failed: {e}"


km = KernelManager(kernel_name=kernel_name)
t0 = time.perf_counter()
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=600)
    result["start"] = time.perf_counter() - t0
    measure("first C# cell", "1 + 1")
    measure("later C# cell", "1 + 1", repeat=5)
    measure("first F# cell", "#!fsharp\n1 + 1")
    measure("later F# cell", "#!fsharp\n1 + 1", repeat=5)
    measure("Python connect", "#!connect jupyter --kernel-name py --kernel-spec python3")
    measure("later Python cell", "#!py\n1 + 1", repeat=5)
    run("var big = Enumerable.Range(0, 1_000_000).Select(i => (float)i).ToArray();")
    measure("10^6 float32 C# -> Python", "#!py\n#!share --from csharp big\nlen(big)")
    run("#!py\nimport numpy as np\nback = np.arange(1_000_000, dtype=np.float32).tolist()")
    measure("10^6 float32 Python -> C#", "#!csharp\n#!share --from py back\nback.GetType().Name")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(result))
