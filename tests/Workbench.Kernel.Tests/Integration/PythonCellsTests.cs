using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>#!python cells (Debian's python3 kernelspec) inside the workbench-csharp kernel, driven by real Jupyter clients.</summary>
public sealed class PythonCellsTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    private static readonly string[] Cells =
    {
        /* 0 */ "var xs = new[] { 1.5f, -0.0f, float.NaN };\nvar n = 3;",
        /* 1 */ "#!python\n#!set --name xs --value @csharp:xs\n#!set --name n --value @csharp:n\nys = xs * 2\nprint(ys.dtype.name, ys.shape, n)\nys.tolist()",
        /* 2 */ "#!set --name ys --value @python:ys\n$\"{ys.GetType().Name} {ys[0]} {BitConverter.SingleToUInt32Bits(ys[1]):X8} {float.IsNaN(ys[2])}\"",
        /* 3 */ "#!python\n1 / 0",
        /* 4 */ "#!python\nfrom IPython.display import display\ndisplay({'text/plain': 'shown'}, raw=True)\n'done'",
        /* 5 */ "#!share --from python ys --as back\nback.Length",
    };

    [Fact]
    public void PythonCellsRunThroughNbconvertAndTheRunnerWithTheSameOutputs()
    {
        var work = Path.Combine(spec.Prefix, "py");
        Directory.CreateDirectory(work);
        var input = Path.Combine(work, "python.ipynb");
        File.WriteAllText(input, KernelSpecFixture.CodeNotebook(Cells).ToJsonString());

        var cells = spec.Nbconvert(work, input, TimeSpan.FromSeconds(300));
        JsonArray Outputs(int i) => cells[i]!["outputs"]!.AsArray();
        static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(n => (string?)n)) : (string?)node ?? "";
        string Result(int i) => Text(Outputs(i).Single(o => (string?)o!["output_type"] == "execute_result")!["data"]!["text/plain"]);

        Assert.Empty(Outputs(0));
        Assert.Equal("float32 (3,) 3\n", Text(Outputs(1).Single(o => (string?)o!["output_type"] == "stream")!["text"]));
        Assert.Equal("[3.0, -0.0, nan]", Result(1));
        Assert.Equal("Single[] 3 80000000 True", Result(2));
        var error = Assert.Single(Outputs(3));
        Assert.Equal("ZeroDivisionError", (string?)error!["ename"]);
        Assert.DoesNotContain(error["traceback"]!.AsArray(), l => ((string?)l)!.Contains('\x1b'));
        Assert.Equal("shown", Text(Outputs(4).Single(o => (string?)o!["output_type"] == "display_data")!["data"]!["text/plain"]));
        Assert.Equal("'done'", Result(4));
        Assert.Equal("3", Result(5));

        spec.AssertRunnerAgrees(work, input, cells, TimeSpan.FromSeconds(300));
    }

    [Fact]
    public void JupyterClientInterruptsALongPythonCellAndTheNextPythonCellRuns()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "python_interrupt.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(240));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;
        Assert.Equal("error", (string?)r["interrupt"]!["status"]);
        Assert.Equal("KeyboardInterrupt", (string?)r["interrupt"]!["ename"]);
        Assert.DoesNotContain("woke", string.Concat(r["interrupt"]!["streams"]!.AsArray().Select(n => (string?)n)));
        Assert.Equal("ok", (string?)r["after"]!["status"]);
        Assert.Equal(new[] { "42" }, r["after"]!["results"]!.AsArray().Select(n => (string?)n));
    }

}
