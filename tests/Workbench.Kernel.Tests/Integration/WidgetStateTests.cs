using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>The widget state a run saves in notebook metadata: the runner's and nbconvert's (which records it from the kernel's comm messages) agree.</summary>
public sealed class WidgetStateTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void RunnerSavesTheWidgetStateNbconvertSaves()
    {
        var work = Directory.CreateTempSubdirectory("wb-widget-state-").FullName;
        try
        {
            var input = Path.Combine(work, "widgets.ipynb");
            File.WriteAllText(input, KernelSpecFixture.CodeNotebook(new[]
            {
                "using Workbench.Notebooks.Widgets;\nvar s = new IntSlider(value: 2, max: 5, description: \"n\");\ns",
                "s.Value = 4;\nvar d = new Dropdown(new[] { \"reset\", \"update\" });\nd.Index = 1;\nvar b = new Button(description: \"Go\");\ndisplay(d); display(b);",
                "var o = new Output();\no.AppendStdout(\"x\\n\");\no.AppendDisplayData(new Workbench.Notebooks.Display.Markdown(\"**m**\"));\nb.Description = \"Again\";\no",
            }).ToJsonString());
            spec.Nbconvert(work, input, TimeSpan.FromMinutes(4));
            var viaJupyter = JsonNode.Parse(File.ReadAllText(Path.Combine(work, "out.ipynb")))!;

            var (file, args) = KernelSpecFixture.WorkbenchCommand();
            var runnerOut = Path.Combine(work, "runner");
            var (exit, stdout, stderr) = ExternalProcess.Run(file, args.Concat(new[] { "notebook", "run", input, "-o", runnerOut }), work, spec.Environment, TimeSpan.FromMinutes(4));
            Assert.True(exit == 0, $"runner failed ({exit}):\n{stdout}\n{stderr}");
            var viaRunner = JsonNode.Parse(File.ReadAllText(Path.Combine(runnerOut, "widgets.ipynb")))!;

            string jupyter = Canonical(viaJupyter), runner = Canonical(viaRunner);
            Assert.Contains("\"IntSliderModel\"", jupyter);
            Assert.Contains("\"value\":4", jupyter);
            Assert.Contains("\"description\":\"Again\"", jupyter);
            Assert.Equal(jupyter, runner);
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    // The widget state and each output's widget view, keys sorted, model ids numbered in the order they are first met:
    // the views in output order, each followed by the models its state refers to (IPY_MODEL_…), depth first.
    private static string Canonical(JsonNode notebook)
    {
        var state = notebook["metadata"]!["widgets"]!["application/vnd.jupyter.widget-state+json"]!;
        var models = state["state"]!.AsObject();
        var views = notebook["cells"]!.AsArray().Select(c => new JsonArray(c!["outputs"]!.AsArray()
            .Select(o => o!["data"]?["application/vnd.jupyter.widget-view+json"]?.DeepClone()).ToArray())).ToArray();
        var order = new List<string>();
        void Visit(string id)
        {
            if (order.Contains(id) || models[id] is not JsonObject model) return;
            order.Add(id);
            foreach (var reference in Regex.Matches(Sorted(model["state"])!.ToJsonString(), "IPY_MODEL_([0-9a-f]{32})").Select(m => m.Groups[1].Value))
                Visit(reference);
        }
        foreach (var view in views.SelectMany(v => v).OfType<JsonObject>()) Visit((string)view["model_id"]!);
        Assert.Equal(models.Count, order.Count); // every saved model is a view or part of one
        var text = new JsonObject { ["state"] = state.DeepClone(), ["views"] = new JsonArray(views) }.ToJsonString();
        for (var i = 0; i < order.Count; i++) text = text.Replace(order[i], $"model{i}", StringComparison.Ordinal);
        return Sorted(JsonNode.Parse(text))!.ToJsonString();
    }

    /// <summary>Objects with their keys sorted, then with their members in that order (the state's models included).</summary>
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
