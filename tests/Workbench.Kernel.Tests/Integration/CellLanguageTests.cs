using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// A front end names a cell's language in the execute_request metadata (polyglot_notebook.kernelName, or the older
/// dotnet_interactive.language): the kernel runs the cell on that kernel.
/// </summary>
public sealed class CellLanguageTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void ExecuteRequestMetadataChoosesTheKernel()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "cell_language_client.py");
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, spec.Environment, TimeSpan.FromSeconds(150));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        var r = JsonNode.Parse(line!["RESULTS ".Length..])!;
        string Outputs(string name) => r[name]!.ToJsonString();

        Assert.Equal("[[\"text/html\"]]", Outputs("polyglot_html"));
        Assert.Contains("text/vnd.mermaid", Outputs("legacy_mermaid"));
        Assert.Equal("[[\"text/html\",\"text/markdown\"]]", Outputs("both"));
        Assert.Equal("[[\"stream\",\"2\\n\"]]", Outputs("alias"));
        Assert.Equal("[[\"stream\",\"default\\n\"]]", Outputs("none"));
        var unknown = r["unknown"]!.AsArray().Single()!.AsArray();
        Assert.Equal("error", (string?)unknown[0]);
        Assert.Contains("unknown language 'cobol'", (string?)unknown[2]);
    }
}
