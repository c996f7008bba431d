using System.Text.Json.Nodes;

namespace Workbench.Cli.Tests.Notebooks;

/// <summary>
/// The CLI references Workbench.Core itself; the notebook code it runs must still see only the core the notebook
/// loads, which the separate notebook host (workbench-host) guarantees.
/// </summary>
public sealed class NotebookHostTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        throw new InvalidOperationException("the repository root was not found above the test folder");
    }

    [Fact]
    public void NotebookCellsLoadTheCoreTheNotebookNamesNotTheCliCopy()
    {
        var folder = Directory.CreateTempSubdirectory("wb-host-");
        try
        {
            var project = Path.Combine(RepositoryRoot(), "src", "Workbench.Core", "Workbench.Core.csproj");
            var code = $"#:project {project}\nConsole.Write(typeof(Workbench.Tensors.NdArray<float>).Assembly.Location);";
            var notebook = new JsonObject
            {
                ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new JsonObject(),
                ["cells"] = new JsonArray(new JsonObject
                {
                    ["cell_type"] = "code", ["id"] = "a", ["metadata"] = new JsonObject(), ["source"] = code,
                    ["outputs"] = new JsonArray(), ["execution_count"] = null,
                }),
            };
            var path = Path.Combine(folder.FullName, "where.ipynb");
            File.WriteAllText(path, notebook.ToJsonString());

            var result = WorkbenchProcess.Run(new[] { "notebook", "run", path }, timeoutSeconds: 300);

            Assert.True(result.ExitCode == 0, result.Stderr);
            var written = JsonNode.Parse(File.ReadAllText(path))!;
            var location = (string)written["cells"]![0]!["outputs"]![0]!["text"]!.AsArray().Aggregate("", (a, n) => a + (string?)n);
            Assert.EndsWith("Workbench.Core.dll", location);
            Assert.NotEqual(Path.GetFullPath(AppContext.BaseDirectory), Path.GetFullPath(Path.GetDirectoryName(location)! + Path.DirectorySeparatorChar));
            Assert.DoesNotContain(Path.Combine("src", "Workbench.Cli", "bin"), location);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
