using Workbench.Runner.Nbformat;

namespace Workbench.Notebooks.Tests.Runner;

[Collection(RunnerCollection.Name)]
public class NotebookCliTests
{
    [Fact]
    public void FailingCellExitsNonZeroNamingNotebookCellAndLineAndWritesTheError()
    {
        var path = TestNotebooks.WriteToTempFolder(TestNotebooks.Exercise());
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "--inplace", "-p", "epochs=3", "-p", "label=tuned");
            Assert.Equal(1, exit);
            // The 8th cell of the notebook as written by the user: the injected parameters cell is not counted.
            Assert.Contains($"{path}: cell 8 (In [8], id ", stderr);
            Assert.Contains("), line 2: FormatException:", stderr);
            var nb = NotebookReader.Read(path);
            Assert.Equal("FormatException", nb.Cells[8].Outputs.Single()["ename"]!.GetValue<string>());
            Assert.Empty(nb.Cells[9].Outputs);
            Assert.Null(nb.Cells[9].ExecutionCount);
            Assert.Contains("int epochs = 3;", nb.Cells[2].Source);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void UnknownParameterIsAUsageErrorAndExportWritesHtml()
    {
        var path = TestNotebooks.WriteToTempFolder(TestNotebooks.Exercise());
        try
        {
            var before = File.ReadAllText(path);
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "-p", "epoch=3");
            Assert.Equal(2, exit);
            Assert.Contains("unknown parameter 'epoch'", stderr);
            Assert.Equal(before, File.ReadAllText(path));

            var html = Path.Combine(Path.GetDirectoryName(path)!, "page.html");
            var export = TestNotebooks.RunCli("notebook", "export", path, "--to", "html", "-o", html);
            Assert.Equal(0, export.ExitCode);
            Assert.Contains("<h1 id=\"runner-test\">Runner test</h1>", File.ReadAllText(html));
            Assert.Equal(2, TestNotebooks.RunCli("notebook", "export", path, "--to", "pdf").ExitCode);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void RunIsHostedLikeTheKernelSoCellsDoNotSeeTheCliCopyOfTheCore()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code(
            "var tpa = (string)AppContext.GetData(\"TRUSTED_PLATFORM_ASSEMBLIES\")!;\n"
            + "$\"{System.Reflection.Assembly.GetEntryAssembly()!.GetName().Name} {tpa.Contains(\"Workbench.Core.dll\")}\""));
        var path = TestNotebooks.WriteToTempFolder(nb, "isolated.ipynb");
        try
        {
            var (exit, stdout, stderr) = TestNotebooks.RunCli("notebook", "run", path);
            Assert.True(exit == 0, stderr);
            Assert.Contains("1 cells ran", stdout);
            Assert.Equal("workbench-host False", NotebookReader.Read(path).Cells[0].Outputs.Single()["data"]!["text/plain"]!.GetValue<string>());
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }
}
