using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// A notebook with F# cells, values crossing between C# and F# with #!set and #!share, run by Debian's
/// `jupyter nbconvert --execute` against the installed kernel, then by the headless runner, which must agree.
/// </summary>
public sealed class FSharpNotebookTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    private static readonly string[] Cells =
    {
        /* 0 */ "var xs = new List<int> { 1, 2, 3 };\nConsole.WriteLine(\"C# here\");",
        /* 1 */ "#!fsharp\n#!share --from csharp xs\nxs.Add 4\nprintfn \"F# sees %d items\" xs.Count\nlet total = Seq.sum xs\ntotal",
        /* 2 */ "#!fsharp\ntype Point = { X: float; Y: float }\nlet p = { X = 3.0; Y = 4.0 }\nlet h = display p.X\nh.Update (sqrt (p.X * p.X + p.Y * p.Y))",
        /* 3 */ "#!set --name fromFs --value @fsharp:total\n#!share --from fsharp p\nfromFs * 2 + xs.Count",
        /* 4 */ "#!fsharp\nlet wrong : int = \"text\"",
        /* 5 */ "#!fsharp\nlet rec fail n : int = if n = 0 then failwith \"boom\" else fail (n - 1)\nfail 2 + 1",
        /* 6 */ "p.GetType().Name + \" \" + (xs.Count == 4)",
        /* 7 */ "#!f#\n[ 1 .. 3 ] |> List.map (fun i -> i * i)",
    };

    [Fact]
    public void FSharpNotebookRunsThroughNbconvertAndTheRunnerAlike()
    {
        var work = Path.Combine(spec.Prefix, "fsnb");
        Directory.CreateDirectory(work);
        var input = Path.Combine(work, "fsharp.ipynb");
        File.WriteAllText(input, KernelSpecFixture.CodeNotebook(Cells).ToJsonString());

        var cells = spec.Nbconvert(work, input, TimeSpan.FromSeconds(400));
        JsonArray Outputs(int i) => cells[i]!["outputs"]!.AsArray();
        string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(n => (string?)n)) : (string?)node ?? "";
        string Result(int i)
        {
            var result = Outputs(i).FirstOrDefault(o => (string?)o!["output_type"] == "execute_result");
            Assert.True(result is not null, $"cell {i} has no result: {Outputs(i).ToJsonString()}");
            return Text(result!["data"]!["text/plain"]);
        }
        JsonNode Error(int i) => Assert.Single(Outputs(i), o => (string?)o!["output_type"] == "error")!;

        Assert.Equal("C# here\n", Text(Assert.Single(Outputs(0))!["text"]));
        var printed = Outputs(1).Single(o => (string?)o!["output_type"] == "stream")!;
        Assert.Equal("F# sees 4 items\n", Text(printed["text"])); // no "val total: int = 10" from F# Interactive
        Assert.Equal("10", Result(1));
        var display = Assert.Single(Outputs(2));
        Assert.Equal("display_data", (string?)display!["output_type"]);
        Assert.Equal("5", Text(display["data"]!["text/plain"])); // updated in place
        Assert.Equal("24", Result(3));
        Assert.Equal("CompilationError", (string?)Error(4)["ename"]);
        Assert.Equal("(2,19): error FS0001: This expression was expected to have type 'int' but here has type 'string'", (string?)Error(4)["evalue"]);
        Assert.Equal("Exception", (string?)Error(5)["ename"]);
        Assert.Equal("boom", (string?)Error(5)["evalue"]);
        Assert.Equal("Point True", Result(6));
        Assert.Equal("[ 1, 4, 9 ]", Result(7));

        // The headless runner, on the same notebook, writes the same outputs as the kernel did through Jupyter.
        spec.AssertRunnerAgrees(work, input, cells, TimeSpan.FromSeconds(400));
    }

}
