using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>Widgets over comms as JupyterLab's ipywidgets 8 manager drives them, through jupyter_client (Scripts/widgets_client.py).</summary>
public sealed class WidgetTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void SliderDropdownButtonAndOutputSyncWithTheFrontEndAndRaiseCSharpEvents()
    {
        var r = CommTests.RunScript(spec, "widgets_client.py");
        var sliderId = (string)r["slider_id"]!;

        // Layout, then style, then the slider: each a comm_open to jupyter.widget with protocol 2.1.0 and the whole state.
        var create = r["create"]!.AsArray();
        var opens = create.Where(m => (string?)m!["type"] == "comm_open").ToList();
        Assert.Equal(new[] { "LayoutModel", "SliderStyleModel", "IntSliderModel" }, opens.Select(o => (string?)o!["state"]!["_model_name"]));
        Assert.All(opens, o =>
        {
            Assert.Equal("jupyter.widget", (string?)o!["target_name"]);
            Assert.Equal("{\"version\":\"2.1.0\"}", o["metadata"]!.ToJsonString());
            Assert.Equal("[]", o["buffer_paths"]!.ToJsonString());
        });
        var state = opens[2]!["state"]!;
        Assert.Equal(sliderId, (string?)opens[2]!["comm_id"]);
        Assert.Equal("@jupyter-widgets/controls", (string?)state["_model_module"]);
        Assert.Equal("2.0.0", (string?)state["_model_module_version"]);
        Assert.Equal("IntSliderView", (string?)state["_view_name"]);
        Assert.Equal("@jupyter-widgets/controls", (string?)state["_view_module"]);
        Assert.Equal("@jupyter-widgets/base", (string?)opens[0]!["state"]!["_model_module"]);
        Assert.Equal("StyleView", (string?)opens[1]!["state"]!["_view_name"]);
        Assert.Equal("IPY_MODEL_" + (string?)opens[0]!["comm_id"], (string?)state["layout"]);
        Assert.Equal("IPY_MODEL_" + (string?)opens[1]!["comm_id"], (string?)state["style"]);
        Assert.Equal((3, 0, 10, "bias"), ((int)state["value"]!, (int)state["min"]!, (int)state["max"]!, (string?)state["description"]));
        // The cell's value is the widget's view: model id and protocol major version 2.
        var result = create.Single(m => (string?)m!["type"] == "execute_result")!["data"]!;
        Assert.Equal($"{{\"version_major\":2,\"version_minor\":0,\"model_id\":\"{sliderId}\"}}", result["application/vnd.jupyter.widget-view+json"]!.ToJsonString());
        Assert.Equal("IntSlider(value=3, description='bias')", (string?)result["text/plain"]);

        // The front end sets 7: echoed (echo_update), not sent back as an update; the C# handler redraws the display.
        var set7 = r["set7"]!.AsArray();
        Assert.Equal("{\"method\":\"echo_update\",\"state\":{\"value\":7},\"buffer_paths\":[]}", set7[0]!["data"]!.ToJsonString());
        Assert.Equal(2, set7.Count);
        Assert.Equal("update_display_data", (string?)set7[1]!["type"]);
        Assert.Equal("value 7", (string?)set7[1]!["data"]!["text/html"]);
        // 70 is past max: echoed as sent, then clamped, and the clamped value goes back as an update.
        var set70 = r["set70"]!.AsArray();
        Assert.Equal("{\"method\":\"echo_update\",\"state\":{\"value\":70},\"buffer_paths\":[]}", set70[0]!["data"]!.ToJsonString());
        Assert.Equal("{\"method\":\"update\",\"state\":{\"value\":10},\"buffer_paths\":[]}", set70[1]!["data"]!.ToJsonString());
        Assert.Equal("value 10", (string?)set70[2]!["data"]!["text/html"]);
        // The C# event fired for each change and a later cell reads the value.
        Assert.Equal("3->7 front, 7->10 front / 10", (string?)r["seen"]);

        // request_state: one update with the whole state.
        var full = Assert.Single(r["request_state"]!.AsArray())!["data"]!;
        Assert.Equal("update", (string?)full["method"]);
        Assert.Equal(10, (int)full["state"]!["value"]!);
        Assert.Equal("IntSliderModel", (string?)full["state"]!["_model_name"]);
        Assert.Equal(state.AsObject().Select(p => p.Key), full["state"]!.AsObject().Select(p => p.Key));

        // Kernel-side changes go out as updates; lowering max clamps the value too.
        Assert.Equal("{\"method\":\"update\",\"state\":{\"value\":4},\"buffer_paths\":[]}", r["kernel_set"]![0]!["data"]!.ToJsonString());
        Assert.Equal(new[] { "{\"max\":2}", "{\"value\":2}" },
            r["kernel_max"]!.AsArray().Where(m => (string?)m!["type"] == "comm_msg").Select(m => m!["data"]!["state"]!.ToJsonString()));

        // Float slider and dropdown.
        Assert.Equal(new[] { "LayoutModel", "SliderStyleModel", "FloatSliderModel", "LayoutModel", "DescriptionStyleModel", "DropdownModel" },
            r["float_dropdown_opens"]!.AsArray().Select(o => (string?)o!["state"]!["_model_name"]));
        var dropdown = r["float_dropdown_opens"]![5]!["state"]!;
        Assert.Equal("[\"reset\",\"update\",\"candidate\"]", dropdown["_options_labels"]!.ToJsonString());
        Assert.Equal(1, (int)dropdown["index"]!);
        Assert.Equal(".2f", (string?)r["float_dropdown_opens"]![2]!["state"]!["readout_format"]);
        Assert.Equal("echo_update", (string?)Assert.Single(r["set_rate"]!.AsArray())!["data"]!["method"]);
        Assert.Equal("echo_update", (string?)Assert.Single(r["set_gate"]!.AsArray())!["data"]!["method"]);
        Assert.Equal("0.25 candidate 2 update->candidate", (string?)r["float_dropdown_values"]);

        // A click (custom message) runs the C# handler: it fills the Output widget (an update of its outputs) and prints.
        Assert.Equal(new[] { "LayoutModel", "OutputModel", "LayoutModel", "ButtonStyleModel", "ButtonModel" },
            r["button_opens"]!.AsArray().Select(o => (string?)o!["state"]!["_model_name"]));
        Assert.Equal("@jupyter-widgets/output", (string?)r["button_opens"]![1]!["state"]!["_model_module"]);
        Assert.Equal("1.0.0", (string?)r["button_opens"]![1]!["state"]!["_model_module_version"]);
        var click = r["click"]!.AsArray();
        Assert.Equal((string?)r["output_id"], (string?)click[0]!["comm_id"]);
        Assert.Equal("{\"method\":\"update\",\"state\":{\"outputs\":[{\"output_type\":\"stream\",\"name\":\"stdout\",\"text\":\"click 1\\n\"}]},\"buffer_paths\":[]}",
            click[0]!["data"]!.ToJsonString());
        Assert.Equal("clicked\n", (string?)click[1]!["text"]);
        Assert.Equal("1", (string?)r["clicks"]);

        // The control comm answers request_states with every live model; comm_info lists the same models.
        var control = r["control"]!;
        Assert.Equal("update_states", (string?)control["method"]);
        Assert.Equal(14, control["models"]!.AsObject().Count);
        Assert.Equal("IntSliderModel", (string?)control["models"]![sliderId]);
        Assert.Equal(2, (int)control["slider"]!["state"]!["value"]!);
        Assert.Equal(control["models"]!.AsObject().Select(p => p.Key).Order(), r["info_widgets"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public void GruUpdateGateBiasSliderRedrawsItsChartOnEveryChange()
    {
        var core = Path.Combine(AppContext.BaseDirectory, "Workbench.Core.dll");
        var r = CommTests.RunScript(spec, "gru_slider_client.py", core);
        var initial = r["initial"]!.AsArray().Select(n => (double)n!).ToArray();
        Assert.Equal(20, initial.Length);
        var drags = r["drags"]!.AsArray();
        Assert.Equal(2, drags.Count);
        foreach (var drag in drags)
        {
            // Each drag: echoed, then the chart redrawn in place (same display id) by the C# handler.
            Assert.Equal(new[] { "comm_msg", "update_display_data" }, drag!["types"]!.AsArray().Select(n => (string?)n));
            Assert.Equal((string?)r["display_id"], (string?)drag["display_id"]);
        }
        double Peak(JsonNode? y) => y!.AsArray().Max(n => Math.Abs((double)n!));
        // h_t = z h_{t-1} + (1 - z) n_t from h_0 = 0: a high update-gate bias (z near 1) keeps h near 0, a low one lets it follow n_t.
        Assert.True(Peak(drags[0]!["y"]) < 0.5 * Peak(r["initial"]), $"b_z = 3 should damp h: {drags[0]!["y"]!.ToJsonString()}");
        Assert.True(Peak(drags[1]!["y"]) > Peak(r["initial"]), $"b_z = -3 should let h follow the input: {drags[1]!["y"]!.ToJsonString()}");
    }
}
