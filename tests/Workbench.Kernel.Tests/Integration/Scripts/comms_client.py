"""Drives the workbench-csharp kernel's comms with jupyter_client as a front end would: comm_info_request (with and
without target_name), a comm the client opens to a target a cell registered (its open data, messages and replies, its
close), a comm_open to an unknown target (closed at once), and a comm a cell opens. Prints one JSON line "RESULTS {...}".
Run with Debian's /usr/bin/python3."""
import json
import queue
import uuid

from jupyter_client.manager import KernelManager

results = {}
km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()


def shell_reply(msg_id, timeout=60):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def until_idle(msg_id, timeout=60):
    """IOPub messages answering msg_id, up to its idle status."""
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                return seen
            continue
        seen.append(m)


def execute(code):
    msg_id = kc.execute(code)
    seen = until_idle(msg_id)
    reply = shell_reply(msg_id)["content"]
    assert reply["status"] == "ok", reply
    return seen


def value_of(code):
    seen = execute(code)
    return [m["content"]["data"]["text/plain"] for m in seen if m["msg_type"] == "execute_result"][0]


def send(msg_type, content):
    """Sends a comm message on shell as a front end does; returns the IOPub messages answering it."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return until_idle(msg["header"]["msg_id"])


def comms(messages):
    return [{"type": m["msg_type"], "content": m["content"], "metadata": m["metadata"]}
            for m in messages if m["msg_type"].startswith("comm_")]


try:
    kc.wait_for_ready(timeout=120)
    results["info_empty"] = kc.comm_info(reply=True, timeout=60)["content"]

    # A cell registers a target: it answers the open data, echoes every message, and records the close.
    execute('using System.Text.Json.Nodes;\n'
            'var received = new List<string>();\n'
            'Comms.RegisterTarget("workbench.echo", (comm, open) =>\n'
            '{\n'
            '    comm.Send(new JsonObject { ["opened_with"] = open.Data["greeting"]?.DeepClone() });\n'
            '    comm.MessageReceived += (s, m) => { received.Add((string)m.Data["text"]!); comm.Send(new JsonObject { ["echo"] = m.Data["text"]?.DeepClone() }); };\n'
            '    comm.Closed += (s, m) => received.Add("closed: " + m.Data.ToJsonString());\n'
            '});')

    echo_id = uuid.uuid4().hex
    results["open"] = comms(send("comm_open", {"comm_id": echo_id, "target_name": "workbench.echo", "data": {"greeting": "hi"}}))
    results["msg"] = comms(send("comm_msg", {"comm_id": echo_id, "data": {"text": "ping"}}))
    results["info_all"] = kc.comm_info(reply=True, timeout=60)["content"]
    results["info_echo"] = kc.comm_info(target_name="workbench.echo", reply=True, timeout=60)["content"]
    results["info_other"] = kc.comm_info(target_name="no.such.target", reply=True, timeout=60)["content"]
    results["echo_id"] = echo_id

    unknown_id = uuid.uuid4().hex
    results["unknown"] = comms(send("comm_open", {"comm_id": unknown_id, "target_name": "no.such.target", "data": {}}))
    results["unknown_id"] = unknown_id
    results["info_after_unknown"] = kc.comm_info(reply=True, timeout=60)["content"]

    results["close"] = comms(send("comm_close", {"comm_id": echo_id, "data": {"why": "done"}}))
    results["received"] = value_of('string.Join("|", received)')
    results["info_after_close"] = kc.comm_info(reply=True, timeout=60)["content"]

    # A cell opens a comm to a front-end target and sends on it; the client answers, the cell's handler records it.
    msg_id = kc.execute('var fromClient = new List<string>();\n'
                        'var mine = Comms.Open("client.target", new JsonObject { ["n"] = 1 }, new JsonObject { ["version"] = "0.1" });\n'
                        'mine.MessageReceived += (s, m) => fromClient.Add(m.Data.ToJsonString());\n'
                        'mine.Send(new JsonObject { ["n"] = 2 });\n'
                        'mine.Id')
    seen = until_idle(msg_id)
    shell_reply(msg_id)
    results["cell_open"] = comms(seen)
    results["cell_open_parents"] = list({m["parent_header"]["msg_id"] == msg_id for m in seen if m["msg_type"].startswith("comm_")})
    results["cell_comm_id"] = [m["content"]["data"]["text/plain"] for m in seen if m["msg_type"] == "execute_result"][0]
    send("comm_msg", {"comm_id": results["cell_comm_id"], "data": {"answer": 42}})
    results["from_client"] = value_of('string.Join("|", fromClient)')
    results["cell_close"] = comms(until_idle(kc.execute("mine.Close();")))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
