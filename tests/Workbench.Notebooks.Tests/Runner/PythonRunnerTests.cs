using Workbench.Runner.Nbformat;

namespace Workbench.Notebooks.Tests.Runner;

[Collection(RunnerCollection.Name)]
public class PythonRunnerTests
{
    private static string PythonNotebook()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code("var xs = new[] { 1.0, 2.0 };"));
        nb.Cells.Add(NotebookCell.Code("#!python\n#!set --name xs --value @csharp:xs\nys = xs * 3\nys.tolist()"));
        nb.Cells.Add(NotebookCell.Code("\"C# still runs\""));
        return TestNotebooks.WriteToTempFolder(nb, "python.ipynb");
    }

    [Fact]
    public void PythonCellsRunInTheRunner()
    {
        var path = PythonNotebook();
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path);
            Assert.True(exit == 0, stderr);
            var nb = NotebookReader.Read(path);
            Assert.Equal("[3.0, 6.0]", string.Concat(nb.Cells[1].Outputs.Single()["data"]!["text/plain"]!.ToJsonString().Trim('"')));
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void MissingPythonKernelFailsItsCellClearlyOrIsSkippedOnRequest()
    {
        var path = PythonNotebook();
        var noPython = new Dictionary<string, string> { ["WORKBENCH_PYTHON_KERNELSPEC"] = "no-such-python" };
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli(noPython, "notebook", "run", path);
            Assert.Equal(1, exit);
            Assert.Contains("cell 2", stderr);
            Assert.True(stderr.Contains("KernelNotAvailable: #!set: cannot start the python kernel: no Jupyter kernelspec named 'no-such-python'"), stderr);
            Assert.Contains("/usr/share/jupyter/kernels", stderr);
            var failed = NotebookReader.Read(path);
            Assert.Equal("KernelNotAvailable", failed.Cells[1].Outputs.Single()["ename"]!.GetValue<string>());

            var (skipExit, _, skipStderr) = TestNotebooks.RunCli(noPython, "notebook", "run", path, "--skip-unavailable-kernels");
            Assert.True(skipExit == 0, skipStderr);
            var skipped = NotebookReader.Read(path);
            var note = skipped.Cells[1].Outputs.Single();
            Assert.Equal("stderr", note["name"]!.GetValue<string>());
            Assert.Contains("skipped (--skip-unavailable-kernels)", note["text"]!.ToJsonString());
            Assert.Contains("C# still runs", skipped.Cells[2].Outputs.Single()["data"]!["text/plain"]!.ToJsonString());
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }
}
