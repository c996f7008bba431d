using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>Cells that ask for input, through Jupyter's stdin channel (jupyter_client, Debian's /usr/bin/python3).</summary>
public sealed class StdinTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void InputRequestsReachTheClientAndInterruptReleasesThem()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "stdin_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(150));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;

        var name = r["name"]!;
        Assert.Equal("input_request", (string?)name["request"]!["type"]);
        Assert.Equal("Your name", (string?)name["request"]!["prompt"]);
        Assert.False((bool)name["request"]!["password"]!);
        Assert.True((bool)name["request"]!["parent"]!); // answers the execute_request it belongs to
        Assert.Equal("ok", (string?)name["reply"]!["status"]);
        Assert.Equal(new[] { "Ada" }, name["results"]!.AsArray().Select(n => (string?)n));

        var password = r["password"]!;
        Assert.Equal("Token", (string?)password["request"]!["prompt"]);
        Assert.True((bool)password["request"]!["password"]!);
        Assert.Equal(new[] { "s3cret ************" }, password["results"]!.AsArray().Select(n => (string?)n));

        Assert.Equal("", (string?)r["readline"]!["request"]!["prompt"]);
        Assert.Equal(new[] { "a line" }, r["readline"]!["results"]!.AsArray().Select(n => (string?)n));

        var interrupt = r["interrupt"]!;
        Assert.Equal("Never answered", (string?)interrupt["request"]!["prompt"]);
        Assert.Equal("error", (string?)interrupt["reply"]!["status"]);
        Assert.Equal("OperationCanceledException", (string?)interrupt["reply"]!["ename"]);
        Assert.Equal(new[] { "Ada" }, r["after_interrupt"]!["results"]!.AsArray().Select(n => (string?)n));

        var noStdin = r["no_stdin"]!["reply"]!;
        Assert.Equal("error", (string?)noStdin["status"]);
        Assert.Equal("InputUnavailableException", (string?)noStdin["ename"]);
        Assert.Equal("this front end cannot answer input (the execute_request did not allow stdin): the cell asked for input ''", (string?)noStdin["evalue"]);

        var counts = r["counts"]!.AsArray().Select(n => (int)n!).ToArray();
        Assert.Equal(counts[0], counts[1]);
        Assert.Equal(counts[0] + 1, counts[2]);
    }
}
