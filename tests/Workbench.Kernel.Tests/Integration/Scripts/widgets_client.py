"""Drives the workbench-csharp kernel's widgets with jupyter_client as JupyterLab's widget manager would: the comm_opens
of a slider (layout and style first), its view in the cell's result, value updates from the front end (echo_update,
clamping), the C# event and a later cell reading the value, request_state, a display redrawn on every change, a
button's click, a dropdown, the control comm's request_states, and kernel-side changes. Prints "RESULTS {...}"."""
import json
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
    return [m["content"]["data"] for m in seen if m["msg_type"] == "execute_result"][0]


def comm_msg(comm_id, data):
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
    kc.shell_channel.send(msg)
    return until_idle(msg["header"]["msg_id"])


def simple(messages):
    out = []
    for m in messages:
        t = m["msg_type"]
        if t == "comm_open":
            out.append({"type": t, "comm_id": m["content"]["comm_id"], "target_name": m["content"]["target_name"],
                        "state": m["content"]["data"]["state"], "buffer_paths": m["content"]["data"]["buffer_paths"],
                        "metadata": m["metadata"]})
        elif t == "comm_msg":
            out.append({"type": t, "comm_id": m["content"]["comm_id"], "data": m["content"]["data"]})
        elif t in ("execute_result", "display_data", "update_display_data"):
            out.append({"type": t, "data": m["content"]["data"], "transient": m["content"].get("transient", {})})
        elif t == "stream":
            out.append({"type": t, "text": m["content"]["text"]})
    return out


try:
    kc.wait_for_ready(timeout=120)
    results["create"] = simple(execute(
        'using Workbench.Notebooks.Widgets;\n'
        'var slider = new IntSlider(value: 3, min: 0, max: 10, description: "bias");\n'
        'var seen = new List<string>();\n'
        'slider.ValueChanged += (s, e) => seen.Add($"{e.OldValue}->{e.NewValue} {(e.FromFrontEnd ? "front" : "kernel")}");\n'
        'var chart = display("value 3", "text/html");\n'
        'slider.ValueChanged += (s, e) => chart.Update($"value {e.NewValue}", "text/html");\n'
        'slider'))
    slider_id = [m for m in results["create"] if m["type"] == "execute_result"][0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    results["slider_id"] = slider_id

    # The user drags the slider to 7, then past the end (70).
    results["set7"] = simple(comm_msg(slider_id, {"method": "update", "state": {"value": 7}, "buffer_paths": []}))
    results["set70"] = simple(comm_msg(slider_id, {"method": "update", "state": {"value": 70}, "buffer_paths": []}))
    results["seen"] = value_of('string.Join(", ", seen) + " / " + slider.Value')["text/plain"]
    results["request_state"] = simple(comm_msg(slider_id, {"method": "request_state"}))

    # A cell sets the value: an update goes out, parented by the execute_request.
    results["kernel_set"] = simple(execute("slider.Value = 4;"))
    results["kernel_max"] = simple(execute("slider.Max = 2;"))

    # A float slider and a dropdown from the front end.
    created = simple(execute(
        'var rate = new FloatSlider(value: 0.5, min: 0, max: 1, step: 0.05, description: "rate");\n'
        'var gate = new Dropdown(new[] { "reset", "update", "candidate" }, index: 1, description: "gate");\n'
        'var picked = new List<string>();\n'
        'gate.ValueChanged += (s, e) => picked.Add(e.OldValue + "->" + e.NewValue);\n'
        'display(rate); display(gate);'))
    views = [m["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for m in created if m["type"] == "display_data"]
    results["float_dropdown_opens"] = [m for m in created if m["type"] == "comm_open"]
    results["set_rate"] = simple(comm_msg(views[0], {"method": "update", "state": {"value": 0.25}, "buffer_paths": []}))
    results["set_gate"] = simple(comm_msg(views[1], {"method": "update", "state": {"index": 2}, "buffer_paths": []}))
    results["float_dropdown_values"] = value_of('$"{rate.Value} {gate.Value} {gate.Index} {string.Join(",", picked)}"')["text/plain"]

    # A button click reaches its C# handler, which writes into an Output widget.
    created = simple(execute(
        'var clicks = 0;\n'
        'var log = new Output();\n'
        'var go = new Button(description: "Go", buttonStyle: "primary");\n'
        'go.Click += (s, e) => { clicks++; log.AppendStdout($"click {clicks}\\n"); Console.WriteLine("clicked"); };\n'
        'display(go); display(log);'))
    views = [m["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for m in created if m["type"] == "display_data"]
    results["button_opens"] = [m for m in created if m["type"] == "comm_open"]
    results["click"] = simple(comm_msg(views[0], {"method": "custom", "content": {"event": "click"}}))
    results["clicks"] = value_of("clicks")["text/plain"]
    results["output_id"] = views[1]

    # The control comm: a reconnecting front end asks for every state at once.
    control_id = uuid.uuid4().hex
    msg = kc.session.msg("comm_open", {"comm_id": control_id, "target_name": "jupyter.widget.control", "data": {}})
    msg["metadata"] = {"version": "1.0.0"}
    kc.shell_channel.send(msg)
    until_idle(msg["header"]["msg_id"])
    states = simple(comm_msg(control_id, {"method": "request_states"}))
    results["control"] = {"method": states[0]["data"]["method"],
                          "models": {k: v["model_name"] for k, v in states[0]["data"]["states"].items()},
                          "slider": states[0]["data"]["states"][slider_id]}
    results["info_widgets"] = kc.comm_info(target_name="jupyter.widget", reply=True, timeout=60)["content"]["comms"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
