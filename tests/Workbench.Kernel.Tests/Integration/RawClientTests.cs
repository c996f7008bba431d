using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>The kernel driven by jupyter_client and raw pyzmq (Debian's /usr/bin/python3), started from the built CLI.</summary>
public sealed class RawClientTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void RealClientCompletesInspectsInterruptsRejectsForgeriesAndShutsDown()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "raw_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(150));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;

        Assert.Equal("5.3", (string?)r["kernel_info"]!["protocol_version"]);
        Assert.Equal("csharp", (string?)r["language_info"]!["name"]);
        Assert.Equal("text/x-csharp", (string?)r["language_info"]!["mimetype"]);
        Assert.Equal(".cs", (string?)r["language_info"]!["file_extension"]);

        Assert.Equal("complete", (string?)r["is_complete"]!["complete"]);
        Assert.Equal("incomplete", (string?)r["is_complete"]!["incomplete"]);
        Assert.Equal("ok", (string?)r["define_status"]);
        // The kernel re-executed itself without the workbench's own libraries, so #:project copies are not shadowed.
        Assert.Equal(new[] { "0" }, r["core_in_tpa"]!.AsArray().Select(n => (string?)n));

        var math = r["complete_math"]!;
        var matches = math["matches"]!.AsArray().Select(m => (string?)m).ToList();
        Assert.Contains("Abs", matches);
        Assert.Contains("Sqrt", matches);
        Assert.Equal(13, (int)math["cursor_start"]!);
        Assert.Equal(13, (int)math["cursor_end"]!);
        var answer = r["complete_answer"]!;
        Assert.Contains("CompareTo", answer["matches"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(7, (int)answer["cursor_start"]!); // replaces "CompareT"
        Assert.Equal(15, (int)answer["cursor_end"]!);

        Assert.True((bool)r["inspect"]!["found"]!);
        Assert.Contains("Math.Sqrt(double)", (string?)r["inspect"]!["text"]);

        var interrupt = r["interrupt"]!;
        Assert.Equal("error", (string?)interrupt["status"]);
        Assert.Equal("OperationCanceledException", (string?)interrupt["ename"]);
        Assert.Equal(new[] { "42" }, r["after_interrupt"]!.AsArray().Select(n => (string?)n));

        Assert.Equal(new[] { "before\n", "after\n" }, r["streams"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(new[] { "error", "aborted" }, r["abort"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(Enumerable.Repeat("ok", 10), r["after_error"]!.AsArray().Select(n => (string?)n));

        Assert.False((bool)r["forged_reply"]!);
        Assert.True((bool)r["honest_reply"]!);
        Assert.Equal("ok", (string?)r["alive_after_forgery"]);
        Assert.Contains("bad signature", stderr);

        Assert.Equal(0, (int?)r["shutdown"]!["exit_code"]);
    }
}
