using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Widgets;

namespace Workbench.Notebooks.Tests.Widgets;

/// <summary>Comms and widgets in the engine, with a recording front end in place of the kernel.</summary>
public sealed class WidgetSessionTests
{
    /// <summary>Records the comm messages a session sends, and its streams.</summary>
    private sealed class CommRecorder : ICellOutput
    {
        public List<(string Type, JsonObject Content, JsonObject Metadata)> Sent { get; } = new();
        public List<string> Text { get; } = new();

        public void Stream(string name, string text)
        {
            lock (Text) Text.Add(name + ": " + text);
        }

        public void Display(MimeBundle bundle, string? displayId) { }
        public void UpdateDisplay(MimeBundle bundle, string displayId) { }

        public void SendComm(string messageType, JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers)
        {
            lock (Sent) Sent.Add((messageType, (JsonObject)content.DeepClone(), (JsonObject)metadata.DeepClone()));
        }
    }

    [Fact]
    public void WidgetOutsideACellKeepsItsStateAndRaisesItsEvents()
    {
        var slider = new IntSlider(value: 5, min: 0, max: 10);
        var seen = new List<(int, int, bool)>();
        slider.ValueChanged += (_, e) => seen.Add((e.OldValue, e.NewValue, e.FromFrontEnd));
        slider.Value = 12;
        slider.Value = 10; // no change: no event
        slider.Min = -3;
        slider.Max = 4;
        Assert.Equal(new[] { (5, 10, false), (10, 4, false) }, seen);
        Assert.False(slider.IsOpen);
        Assert.Throws<ArgumentException>(() => slider.Min = 9);
        Assert.Throws<ArgumentException>(() => new IntSlider(min: 3, max: 2));
        Assert.Throws<FormatException>(() => new FloatSlider().Value = double.NaN);
        var view = slider.ToMimeBundle().Data[Widget.ViewMimeType];
        Assert.Equal($"{{\"version_major\":2,\"version_minor\":0,\"model_id\":\"{slider.ModelId}\"}}", view.ToJsonString());
        Assert.Equal("IntSlider(value=4)", slider.ToString());

        var dropdown = new Dropdown(["a", "b"]);
        Assert.Equal(("a", 0), (dropdown.Value, dropdown.Index));
        Assert.Throws<ArgumentException>(() => dropdown.Value = "c");
        Assert.Throws<ArgumentOutOfRangeException>(() => dropdown.Index = 2);
        dropdown.Options = ["x", "y", "z"];
        Assert.Equal("x", dropdown.Value);
    }

    [Fact]
    public async Task FrontEndUpdatesAreEchoedCoercedAndRaisedWithOutputToTheirRequest()
    {
        using var session = new NotebookSession();
        var cell = new CommRecorder();
        var created = await session.ExecuteAsync(
            "using Workbench.Notebooks.Widgets;\nvar s = new IntSlider(value: 1, max: 5);\nvar log = new List<int>();\n" +
            "s.ValueChanged += (_, e) => { log.Add(e.NewValue); Console.WriteLine($\"now {e.NewValue}\"); if (e.NewValue == 4) s.Value = 3; };\ns.ModelId", cell);
        Assert.Null(created.Error);
        var id = created.Result!.GetText("text/plain")!;
        Assert.Equal(new[] { "comm_open", "comm_open", "comm_open" }, cell.Sent.Select(m => m.Type));
        Assert.Equal(id, (string?)cell.Sent[2].Content["comm_id"]);
        Assert.Equal("jupyter.widget", (string?)cell.Sent[2].Content["target_name"]);
        Assert.Equal("2.1.0", (string?)cell.Sent[2].Metadata["version"]);
        Assert.Single(session.Widgets.Widgets, w => w.ModelId == id);

        // 9 is clamped to 5 (sent back); 4 is changed by the handler to 3 (sent back); 2 is kept (only echoed).
        var front = new CommRecorder();
        foreach (var value in new[] { 9, 4, 2 })
            await session.ReceiveCommAsync("comm_msg", new JsonObject { ["comm_id"] = id, ["data"] = new JsonObject { ["method"] = "update", ["state"] = new JsonObject { ["value"] = value } } },
                new JsonObject(), [], front);
        Assert.Equal(new[]
        {
            "echo_update {\"value\":9}", "update {\"value\":5}",
            "echo_update {\"value\":4}", "update {\"value\":3}",
            "echo_update {\"value\":2}",
        }, front.Sent.Select(m => $"{(string?)m.Content["data"]!["method"]} {m.Content["data"]!["state"]!.ToJsonString()}"));
        Assert.Equal("now 5\nnow 4\nnow 3\nnow 2\n", string.Concat(front.Text.Select(t => t["stdout: ".Length..])));
        var read = await session.ExecuteAsync("string.Join(\",\", log) + \" \" + s.Value", new CommRecorder());
        Assert.Equal("5,4,3,2 2", read.Result!.GetText("text/plain"));

        // A comm to an unknown target is closed at once; closing the widget's comm removes it from the session's widgets.
        var unknown = new CommRecorder();
        await session.ReceiveCommAsync("comm_open", new JsonObject { ["comm_id"] = "c1", ["target_name"] = "nobody", ["data"] = new JsonObject() }, new JsonObject(), [], unknown);
        Assert.Equal("comm_close", Assert.Single(unknown.Sent).Type);
        Assert.Contains("no comm target 'nobody'", string.Concat(unknown.Text));
        await session.ReceiveCommAsync("comm_close", new JsonObject { ["comm_id"] = id, ["data"] = new JsonObject() }, new JsonObject(), [], new CommRecorder());
        Assert.DoesNotContain(session.Widgets.Widgets, w => w.ModelId == id);
        Assert.DoesNotContain(id, session.Comms.Info().Keys);
    }
}
