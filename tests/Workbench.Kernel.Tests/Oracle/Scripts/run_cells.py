"""Runs a list of cells on one Jupyter kernel, as a notebook front end would, and prints what the kernel sent back
as one JSON object. Unlike nbconvert it answers input requests (Console.ReadLine), so stdin can be compared too.

    /usr/bin/python3 run_cells.py KERNEL_NAME NOTEBOOK.ipynb OUT.json [--skip ID]...

Code cells run in order; a cell's metadata "oracle" may give "stdin" (the answers to its input requests, in order),
"timeout" (seconds) and an "id"; cells whose id follows --skip are not sent. OUT.json: {"kernel": ..., "start_seconds": ..., "ports": [...],
"cells": [{"status": "ok"|"error"|"timeout", "seconds": ..., "outputs": [...]}, ...]} where outputs keep the message
type and its content (stream name/text, data, ename/evalue/traceback, input_request prompt). Display updates
are applied in place, as a notebook shows them. Run with Debian's /usr/bin/python3."""
import json
import os
import queue
import sys
import time

from jupyter_client.manager import KernelManager

kernel_name, notebook_path, out_path = sys.argv[1:4]
skip = {sys.argv[i + 1] for i in range(4, len(sys.argv) - 1) if sys.argv[i] == "--skip"}
cells = []
for cell in json.load(open(notebook_path))["cells"]:
    if cell["cell_type"] != "code":
        continue
    options = cell.get("metadata", {}).get("oracle", {})
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    cells.append({"id": options.get("id", cell.get("id")), "source": source, "stdin": options.get("stdin", []),
                  "timeout": options.get("timeout", 300)})
result = {"kernel": kernel_name, "cells": []}


PORT_LOCK = "/tmp/workbench-oracle-ports.lock"


def reserved_ports(count=5):
    # jupyter_client picks ports by binding port 0 and letting go, and any outgoing connection on the machine may be
    # handed that ephemeral port before the kernel binds it. Ports below the ephemeral range are never handed out
    # by the OS. Runs of this script (two start side by side, beside other tests' kernels) choose under one
    # machine-wide lock, held until the kernel has bound what it was given (see start()), so that no two runs can
    # probe the same free port before either kernel takes it. The first port tried is random, to keep apart from
    # ports that a recent run's kernel left in TIME_WAIT (a probe bind fails on those, so they are skipped anyway).
    import random
    import socket
    low, high = 20000, 32000
    ports = []
    port = random.randrange(low, high - 100)
    tried = 0
    while len(ports) < count and tried < high - low:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
                ports.append(port)
            except OSError:
                pass
        port = low if port + 1 >= high else port + 1
        tried += 1
    if len(ports) < count:
        raise SystemExit(f"run_cells.py: no {count} free ports between {low} and {high}")
    return ports


def start():
    """Starts the kernel on reserved ports and returns (manager, client) once it answers kernel_info."""
    import fcntl
    with open(PORT_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        manager = KernelManager(kernel_name=kernel_name)
        manager.ip = "127.0.0.1"
        manager.shell_port, manager.iopub_port, manager.stdin_port, manager.control_port, manager.hb_port = reserved_ports()
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            # A kernel answers kernel_info only after binding all its sockets; until then the ports look free.
            client.wait_for_ready(timeout=300)
        except BaseException:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
            raise
    return manager, client


t0 = time.time()
km, kc = start()
try:
    result["start_seconds"] = time.time() - t0
    result["ports"] = [km.shell_port, km.iopub_port, km.stdin_port, km.control_port, km.hb_port]
    for cell in cells:
        if cell["id"] in skip:
            result["cells"].append({"id": cell["id"], "status": "skipped", "seconds": 0, "outputs": []})
            continue
        answers = list(cell["stdin"])
        timeout = cell["timeout"]
        outputs = []
        displays = {}  # display_id -> indices of the outputs it shows
        started = time.time()
        msg_id = kc.execute(cell["source"], allow_stdin=True, stop_on_error=False)
        status = None
        idle = False
        while not idle or status is None:
            if time.time() - started > timeout:
                status = status or "timeout"
                outputs.append({"type": "timeout"})
                km.interrupt_kernel()
                break
            try:
                m = kc.get_stdin_msg(timeout=0.01)
                if m["msg_type"] == "input_request":
                    answer = answers.pop(0) if answers else ""
                    outputs.append({"type": "input_request", "prompt": m["content"]["prompt"],
                                    "password": m["content"].get("password", False), "answer": answer})
                    kc.input(answer)
            except queue.Empty:
                pass
            try:
                m = kc.get_iopub_msg(timeout=0.05)
                if m["parent_header"].get("msg_id") == msg_id:
                    t, c = m["msg_type"], m["content"]
                    if t == "status" and c["execution_state"] == "idle":
                        idle = True
                    elif t == "stream":
                        if outputs and outputs[-1]["type"] == "stream" and outputs[-1]["name"] == c["name"]:
                            outputs[-1]["text"] += c["text"]
                        else:
                            outputs.append({"type": "stream", "name": c["name"], "text": c["text"]})
                    elif t in ("execute_result", "display_data"):
                        outputs.append({"type": t, "data": c["data"]})
                        display_id = c.get("transient", {}).get("display_id")
                        if display_id:
                            displays.setdefault(display_id, []).append(len(outputs) - 1)
                    elif t == "update_display_data":
                        for i in displays.get(c.get("transient", {}).get("display_id"), []):
                            outputs[i]["data"] = c["data"]
                    elif t == "clear_output":
                        outputs.clear()
                        displays.clear()
                    elif t == "error":
                        outputs.append({"type": "error", "ename": c["ename"], "evalue": c["evalue"],
                                        "traceback": c["traceback"]})
            except queue.Empty:
                pass
            if status is None:
                try:
                    r = kc.get_shell_msg(timeout=0.01)
                    if r["parent_header"].get("msg_id") == msg_id:
                        status = r["content"]["status"]
                except queue.Empty:
                    pass
        result["cells"].append({"id": cell["id"], "status": status, "seconds": time.time() - started, "outputs": outputs})
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
json.dump(result, open(out_path, "w"), indent=1)
