using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>interrupt_request through jupyter_client stops C# loops, recursion, sleeps and waits; the session goes on.</summary>
public sealed class InterruptClientTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void InterruptRequestStopsLoopsSleepsAndWaitsAndTheNextCellSeesTheState()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "interrupt_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(300));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!.AsObject();

        var cases = new[]
        {
            "while_true", "for_increment", "recursion_in_loop", "thread_sleep", "task_delay_wait", "await_task_delay",
            "semaphore_wait", "tight_numeric", "monitor_wait",
        };
        Assert.Equal(cases, r.Select(p => p.Key));
        foreach (var name in cases)
        {
            var c = r[name]!;
            // A cell that kept running would be CellNotRespondingToInterrupt (after the 2 s grace period), not this.
            Assert.True((string?)c["ename"] == "OperationCanceledException", $"{name}: {c.ToJsonString()}");
            Assert.Equal("error", (string?)c["status"]);
            Assert.Equal("OperationCanceledException", (string?)c["error_output"]);
            Assert.Equal("OperationCanceledException: The cell was interrupted.", (string?)c["traceback"]![0]);
            Assert.Equal("ok", (string?)c["after_status"]);
            Assert.Equal(new[] { "42" }, c["after"]!.AsArray().Select(n => (string?)n));
        }
        // Where the loop stopped, as a KeyboardInterrupt's traceback shows it (the cell's line 3: the code follows a print).
        Assert.Contains(r["for_increment"]!["traceback"]!.AsArray(), l => (string?)l == "----> 3 for (;;) x++;");
    }
}
