"""A slider for a GRU's update-gate bias that redraws a Plotly chart of the hidden state on every change, driven
through jupyter_client as a front end dragging the slider. argv[1] is the Workbench.Core.dll the cell loads.
Prints "RESULTS {...}": the y values of the first chart and of each redraw, and what each drag sent back."""
import json
import sys

from jupyter_client.manager import KernelManager

core = sys.argv[1]
km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
results = {}


def until_idle(msg_id, timeout=120):
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


def ys(message):
    return message["content"]["data"]["application/vnd.plotly.v1+json"]["data"][0]["y"]


try:
    kc.wait_for_ready(timeout=120)
    code = ('#r "' + core + '"\n'
            'using Workbench.Recurrent;\nusing Workbench.Tensors;\nusing Workbench.Notebooks.Widgets;\n'
            'var gru = new Gru<double>(inputSize: 1, hiddenSize: 1, seed: 3);\n'
            'var x = NdArray<double>.Zeros(20, 1, 1);\n'
            'for (var t = 0; t < 20; t++) x[t, 0, 0] = 2 * Math.Sin(t / 3.0);\n'
            '// bias_ih_l0 is packed r, z, n: with hidden size 1, element 1 is the update gate\'s bias.\n'
            'var updateBias = gru.Parameters.First(p => p.Name == "bias_ih_l0").Value;\n'
            'Plotly.NET.GenericChart Trajectory(double bias)\n{\n'
            '    updateBias[1] = bias;\n'
            '    var h = gru.Forward(x).Output;\n'
            '    return Plotly.NET.CSharp.Chart.Line<int, double, string>(x: Enumerable.Range(0, 20), y: Enumerable.Range(0, 20).Select(t => h[t, 0, 0]));\n'
            '}\n'
            'var bz = new FloatSlider(value: 0, min: -4, max: 4, step: 0.5, description: "b_z");\n'
            'var chart = display(Trajectory(0));\n'
            'bz.ValueChanged += (s, e) => chart.Update(Trajectory(e.NewValue));\n'
            'bz')
    msg_id = kc.execute(code)
    seen = until_idle(msg_id)
    reply = kc.get_shell_msg(timeout=60)["content"]
    assert reply["status"] == "ok", reply
    first = [m for m in seen if m["msg_type"] == "display_data"][0]
    slider = [m for m in seen if m["msg_type"] == "execute_result"][0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    results["initial"] = ys(first)
    results["display_id"] = first["content"]["transient"]["display_id"]
    results["drags"] = []
    for value in [3.0, -3.0]:
        msg = kc.session.msg("comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
        kc.shell_channel.send(msg)
        answer = until_idle(msg["header"]["msg_id"])
        redraw = [m for m in answer if m["msg_type"] == "update_display_data"]
        results["drags"].append({"value": value, "types": [m["msg_type"] for m in answer],
                                 "display_id": redraw[0]["content"]["transient"]["display_id"] if redraw else None,
                                 "y": ys(redraw[0]) if redraw else None})
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    km.cleanup_resources()
print("RESULTS " + json.dumps(results))
