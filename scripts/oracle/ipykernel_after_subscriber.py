"""Debian's ipykernel, serving requests only once a subscriber has joined its iopub socket.

This is the `python3` kernel that the official .NET Interactive kernel starts for `#!connect jupyter --kernel-spec
python3` in the oracle runs (scripts/install-official-kernel.sh registers it under DOTNET_INTERACTIVE_JUPYTER_PATH
only). The official kernel's Jupyter client sends its first execute_request straight after the kernel_info reply
and then waits, with no timeout, for iopub's `status: idle`. When its SUB socket has not yet joined ipykernel's PUB
socket at that moment, the status is dropped (ZeroMQ's slow joiner) and the cell waits forever: 2 connects in 25
under `stress-ng --cpu 2` here, with ipykernel's log showing the request answered (scripts/official-connect-check.py).
jupyter_client avoids the race by waiting for an iopub message before it sends work; the official client does not.

So before serving anything this kernel waits until a TCP connection to its iopub port is established, then gives the
ZeroMQ handshake and the subscription a moment. Nothing else changes: same ipykernel, same namespace.
"""
import sys
import time

sys.path.pop(0)  # this file's folder, so that nothing beside it shadows a module

from ipykernel import kernelapp  # noqa: E402

GRACE_SECONDS = 0.5
LIMIT_SECONDS = 30


def established(port):
    """True when some TCP connection on this machine has local port `port` and is established (state 01)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False


serve = kernelapp.IPKernelApp.init_code


def init_code_then_wait(app):
    # init_code runs after the sockets are bound and before the kernel serves its first request.
    serve(app)
    deadline = time.monotonic() + LIMIT_SECONDS
    while not established(app.iopub_port) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(GRACE_SECONDS)


kernelapp.IPKernelApp.init_code = init_code_then_wait

if __name__ == "__main__":
    kernelapp.launch_new_instance()
