using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>Late output, user_expressions, inspect on a variable (at both detail levels) and cell tracebacks, through jupyter_client.</summary>
public sealed class ProtocolClientTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void LateOutputUserExpressionsInspectAndTracebacksAsIpykernel()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "protocol_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(240));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;

        var idle = r["late_idle"]!;
        Assert.Equal(new[] { (string?)idle["last"] }, idle["parents"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("from the background\nown\n", (string?)r["late_running"]!["streams"]);

        var expressions = r["user_expressions"]!;
        Assert.Equal("ok", (string?)expressions["double"]!["status"]);
        Assert.Equal("84", (string?)expressions["double"]!["data"]!["text/plain"]);
        Assert.Equal("error", (string?)expressions["bad"]!["status"]);
        Assert.Equal("CompilationError", (string?)expressions["bad"]!["ename"]);
        // Expressions do not advance the count: cells 1-5 ran before this one.
        Assert.Equal(6, (int)r["count_after_expressions"]!);

        Assert.True((bool)r["inspect_variable"]!["found"]!);
        Assert.Contains("Type: int", (string?)r["inspect_variable"]!["text"]);
        Assert.Contains("Value: 42", (string?)r["inspect_variable"]!["text"]);
        Assert.True((bool)r["inspect_member"]!["found"]!);
        Assert.Contains("Math.Max(int, int)", (string?)r["inspect_member"]!["text"]);

        Assert.Equal(new[]
        {
            "System.DivideByZeroException: Attempted to divide by zero.",
            "Cell In[7], line 3, in Div(Int32 d)",
            "----> 3     return 1 / d;",
            "Cell In[8], line 2",
            "----> 2 Div(zero)",
        }, r["traceback"]!.AsArray().Select(n => (string?)n));

        Assert.DoesNotContain("Source:", (string?)r["inspect_method_0"]);
        Assert.Equal((string?)r["inspect_method_0"] + "\nSource: Cell In[7], line 1\nint Div(int d)\n{\n    return 1 / d;\n}", (string?)r["inspect_method_1"]);
        Assert.Equal((string?)r["inspect_variable_0"] + "\nSource: Cell In[5], line 1\nvar answer = 40 + 2;", (string?)r["inspect_variable_1"]);
    }
}
