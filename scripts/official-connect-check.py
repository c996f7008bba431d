"""Starts the official .NET Interactive kernel (.net-csharp) N times and runs `#!connect jupyter --kernel-name python
--kernel-spec python3` in each, counting the connects that get no reply within 60 s. It reproduces a hang of the
official kernel that failed the CI step running the notebooks under it (03a, 2026-12-07): 0 of 20 on a quiet machine,
1 of 12 under `stress-ng --cpu 2`. Not a test: a diagnostic for that step.

    JUPYTER_PATH=$(bash scripts/install-official-kernel.sh | sed -n 's/^DOTNET_INTERACTIVE_JUPYTER_PATH=//p') \\
        /usr/bin/python3 scripts/official-connect-check.py 20"""
import sys
import time

from jupyter_client.manager import KernelManager

ok = hung = 0
for i in range(int(sys.argv[1]) if len(sys.argv) > 1 else 10):
    km = KernelManager(kernel_name=".net-csharp")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    t0 = time.perf_counter()
    try:
        kc.execute_interactive("#!connect jupyter --kernel-name python --kernel-spec python3", timeout=60,
                               allow_stdin=False, output_hook=lambda m: None)
        ok += 1
        print(f"{i}: connected in {time.perf_counter() - t0:.1f} s", flush=True)
    except TimeoutError:
        hung += 1
        print(f"{i}: no reply in 60 s", flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
print(f"connected {ok}, no reply {hung}")
sys.exit(1 if hung else 0)
