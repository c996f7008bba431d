using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// The oracle runs start kernels side by side, each on ports its run_cells.py chose. Several runs started at the same
/// moment must all get a working kernel on ports no other run holds: a clash makes a kernel die on bind
/// (AddressAlreadyInUse) and fails whichever oracle cases read that run.
/// </summary>
public sealed class RunCellsPortTests(OracleRuns runs) : IClassFixture<OracleRuns>
{
    [Fact]
    public async Task KernelsStartedTogetherGetDistinctPorts()
    {
        const int kernels = 4;
        var work = Path.Combine(Path.GetTempPath(), "wb-ports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var notebooks = Enumerable.Range(0, kernels).Select(i =>
            {
                var folder = Directory.CreateDirectory(Path.Combine(work, "run" + i)).FullName;
                var path = Path.Combine(folder, $"n{i}.ipynb");
                var cell = new JsonObject
                {
                    ["cell_type"] = "code", ["id"] = "c", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(),
                    ["execution_count"] = null, ["source"] = $"Console.Write({i} * 7);",
                };
                File.WriteAllText(path, new JsonObject { ["cells"] = new JsonArray(cell), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
                return (path, folder);
            }).ToList();

            var results = await Task.WhenAll(notebooks.Select(n => Task.Run(() => runs.RunOurs(n.path, n.folder))));

            var ports = new HashSet<int>();
            for (var i = 0; i < kernels; i++)
            {
                var result = results[i];
                var cell = result["cells"]![0]!;
                Assert.Equal("ok", (string?)cell["status"]);
                Assert.Equal((i * 7).ToString(), (string?)cell["outputs"]![0]!["text"]);
                foreach (var port in result["ports"]!.AsArray())
                    Assert.True(ports.Add((int)port!), $"port {port} was given to two kernels started together");
            }
            Assert.Equal(kernels * 5, ports.Count);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
