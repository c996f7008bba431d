"""Starts the official .NET Interactive kernel (.net-csharp) N times and runs `#!connect jupyter --kernel-name python
--kernel-spec python3` in each, counting the connects that get no reply within 60 s.

The official kernel's Jupyter client sends the connected kernel's set-up code straight after the kernel_info reply
and waits, with no timeout, for iopub's `status: idle`; when its SUB socket has not joined ipykernel's PUB socket yet,
that status is dropped and the connect never ends (ipykernel's --debug log shows the request received and answered,
and the official kernel never sends its next message, the comm_open). Under `stress-ng --cpu 2`: 2 hangs in 25 with
Debian's python3 kernelspec, 0 in 40 with the one scripts/install-official-kernel.sh registers for these runs
(scripts/oracle/ipykernel_after_subscriber.py, which serves nothing until the subscriber has joined).

    eval "$(bash scripts/install-official-kernel.sh)"
    JUPYTER_PATH=$DOTNET_INTERACTIVE_JUPYTER_PATH /usr/bin/python3 scripts/official-connect-check.py 20
    ... official-connect-check.py 20 --debian-python3    # Debian's python3 kernelspec instead (shows the race)

Exit code 1 when any connect got no reply."""
import argparse
import os
import tempfile
import time

from jupyter_client.manager import KernelManager

parser = argparse.ArgumentParser()
parser.add_argument("count", type=int, nargs="?", default=10)
parser.add_argument("--debian-python3", action="store_true",
                    help="hide the oracle's python3 kernelspec, so that the official kernel starts Debian's")
options = parser.parse_args()

if options.debian_python3:
    # A JUPYTER_PATH holding only the official kernel's spec: python3 then resolves to /usr/share/jupyter.
    official = next(p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
                    if os.path.isdir(os.path.join(p, "kernels", ".net-csharp")))
    only = tempfile.mkdtemp(prefix="official-only-")
    os.makedirs(os.path.join(only, "kernels"))
    os.symlink(os.path.join(official, "kernels", ".net-csharp"), os.path.join(only, "kernels", ".net-csharp"))
    os.environ["JUPYTER_PATH"] = only

ok = hung = 0
for i in range(options.count):
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
raise SystemExit(1 if hung else 0)
