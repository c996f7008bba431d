using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>history_request through jupyter_client: the cells of a kernel and of the kernel after a restart (and of a
/// second kernel writing to the same store meanwhile), with IPython's session and line numbers.</summary>
public sealed class HistoryClientTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    // Expected texts are written as read: no \u escapes for quotes and '+'.
    private static readonly System.Text.Json.JsonSerializerOptions PlainJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void HistoryOfBothSessionsAcrossARestart()
    {
        var folder = Directory.CreateTempSubdirectory("wb-history-client-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(spec.Environment) { ["WORKBENCH_HISTORY_DIR"] = folder };
            var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", "history_client.py");
            var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", new[] { script }, spec.Prefix, environment, TimeSpan.FromSeconds(400));
            var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
            Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
            var r = JsonNode.Parse(line!["RESULTS ".Length..])!;
            string History(string name)
            {
                Assert.Equal("ok", (string?)r[name]!["status"]);
                return r[name]!["history"]!.ToJsonString(PlainJson);
            }

            Assert.Equal("""[[1,1,["var a = 20;",null]],[1,2,["a + 1","21"]],[1,3,["throw new Exception(\"boom\");",null]]]""", History("first_session"));
            Assert.Equal("[]", History("after_restart"));
            Assert.Equal("""[[1,1,"var a = 20;"],[1,2,"a + 1"],[1,3,"throw new Exception(\"boom\");"],"""
                + """[2,1,"var b0 = 0;"],[2,2,"var b1 = 1;"],[2,3,"var b2 = 2;"],[2,4,"a + 1"],"""
                + """[3,1,"var c0 = 0;"],[3,2,"var c1 = 1;"],[3,3,"var c2 = 2;"]]""", History("tail"));
            Assert.Equal("""[[3,1,["var c0 = 0;",null]],[3,2,["var c1 = 1;",null]],[3,3,["var c2 = 2;",null]]]""", History("tail_3_output"));
            Assert.Equal("""[[1,1,"var a = 20;"],[1,2,"a + 1"]]""", History("range_previous"));
            Assert.Equal("""[[2,2,"var b1 = 1;"],[2,3,"var b2 = 2;"],[2,4,"a + 1"]]""", History("range_current"));
            Assert.Equal("""[[1,2,"a + 1"],[2,4,"a + 1"]]""", History("search"));
            Assert.Equal("""[[2,4,"a + 1"]]""", History("search_unique"));
            Assert.Equal("""[[3,2,"var c1 = 1;"],[3,3,"var c2 = 2;"]]""", History("search_n"));
            Assert.Equal("""[[3,1,"var c0 = 0;"],[3,2,"var c1 = 1;"],[3,3,"var c2 = 2;"]]""", History("other_current"));
            Assert.Equal("error", (string?)r["bad"]!["status"]);
            Assert.Contains("hist_access_type must be tail, range or search", (string?)r["bad"]!["evalue"]);
            Assert.True(File.Exists(Path.Combine(folder, "history.sqlite")));
            Assert.DoesNotContain("history file", stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
