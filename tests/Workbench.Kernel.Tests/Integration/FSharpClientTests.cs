using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>F# cells driven by jupyter_client (Debian's /usr/bin/python3) against the kernel started from the built CLI.</summary>
public sealed class FSharpClientTests(KernelSpecFixture spec, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void RealClientRunsCompletesInspectsAndInterruptsFSharp()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "fsharp_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(400));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;
        // Reported, not asserted (no timed tests): how long the first F# cell (F# Interactive's start) and the next took.
        log.WriteLine($"first F# cell {(double)r["first_fsharp"]!["seconds"]!:0.00} s, next {(double)r["second_fsharp"]!["seconds"]!:0.00} s");

        Assert.Equal("ok", (string?)r["first_fsharp"]!["status"]);
        Assert.Equal(new[] { "42" }, r["second_fsharp"]!["values"]!.AsArray().Select(n => (string?)n));

        // complete_request goes to F# for the F# part of the cell; offsets are the cell's.
        var complete = r["complete"]!;
        Assert.Contains("map", complete["matches"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("var a = 1;\n#!fsharp\nList.".Length, (int)complete["cursor_start"]!);
        Assert.True((bool)r["inspect"]!["found"]!);
        Assert.Contains("kept: int", (string?)r["inspect"]!["text"]);

        Assert.Equal("error", (string?)r["interrupt"]!["status"]);
        Assert.Equal("OperationCanceledException", (string?)r["interrupt"]!["ename"]); // it stopped, within the grace period
        Assert.Equal(new[] { "22" }, r["after_interrupt"]!["values"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(0, (int?)r["shutdown"]!["exit_code"]);
    }
}
