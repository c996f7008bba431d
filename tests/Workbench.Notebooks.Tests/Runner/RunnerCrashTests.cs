using Workbench.Runner.Nbformat;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>
/// Cells that end the process they run in, beyond any catch: an exception escaping a thread the cell started, and a
/// stack overflow. Before, the runner died with exit 134, wrote nothing and named no cell. Now the run happens in a
/// child process: the notebook is left written up to the failing cell, which is marked, and the parent names the cell.
/// </summary>
[Collection(RunnerCollection.Name)]
public class RunnerCrashTests
{
    private static Notebook ThreeCells(string middle)
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("# Crash"));
        nb.Cells.Add(NotebookCell.Code("1 + 1"));
        nb.Cells.Add(NotebookCell.Code(middle));
        nb.Cells.Add(NotebookCell.Code("2 + 2"));
        return nb;
    }

    private static string Plain(NotebookCell cell) => cell.Outputs.Single()["data"]!["text/plain"]!.GetValue<string>();

    [Fact]
    public void ARelativePathInAnotherFolderIsWrittenBackToItselfNotBesideItsCopyOfTheFolder()
    {
        // The cells run with the notebook's folder as current directory; the progress saved before each cell once
        // resolved "sub/a.ipynb" against that folder and wrote sub/sub/a.ipynb, which the crash message then named.
        var nb = ThreeCells("throw new InvalidOperationException(\"stop\");");
        var path = TestNotebooks.WriteToTempFolder(nb, "relative.ipynb");
        var root = Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
        var relative = Path.GetRelativePath(root, path);
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            var (exit, _, _) = TestNotebooks.RunCliIn(root, new Dictionary<string, string>(), "notebook", "run", relative, "--inplace");
            Assert.Equal(1, exit);
            Assert.False(Directory.Exists(Path.Combine(folder, Path.GetFileName(folder))), "a copy of the folder was made inside it");
            var written = NotebookReader.Read(path);
            Assert.Equal("2", Plain(written.Cells[1]));
            Assert.Equal("InvalidOperationException", written.Cells[2].Outputs.Single()["ename"]!.GetValue<string>());
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void ExceptionOnAThreadTheCellStartedNamesTheCellAndLeavesTheNotebookWritten()
    {
        var nb = ThreeCells("var t = new Thread(() => throw new InvalidOperationException(\"boom\"));\nt.Start();\nt.Join();");
        var path = TestNotebooks.WriteToTempFolder(nb, "thread.ipynb");
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out");
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "-o", output);
            Assert.Equal(1, exit);
            var id = nb.Cells[2].Id;
            Assert.Contains($"{path}: cell 3 (id {id}), line 1: InvalidOperationException on a thread the cell started: boom; it ended the runner process (exit 134)", stderr);
            Assert.Contains($"the notebook is written up to that cell, which is marked, to {Path.Combine(output, "thread.ipynb")}", stderr);
            var written = NotebookReader.Read(Path.Combine(output, "thread.ipynb"));
            Assert.Equal("2", Plain(written.Cells[1]));
            var error = written.Cells[2].Outputs.Single();
            Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
            Assert.Equal("boom", error["evalue"]!.GetValue<string>());
            Assert.Empty(written.Cells[3].Outputs);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void ExceptionOnAThreadIsChargedToTheCellWhoseCodeThrewItNotTheOneRunning()
    {
        // The thread outlives its cell: the exception lands while the next cell runs, and still names the cell whose code threw.
        var nb = ThreeCells("var gate = new ManualResetEventSlim();\nnew Thread(() => { gate.Wait(); throw new InvalidOperationException(\"late\"); }).Start();");
        nb.Cells[3].Source = "gate.Set();\nThread.Sleep(Timeout.Infinite);";
        var path = TestNotebooks.WriteToTempFolder(nb, "late.ipynb");
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "--inplace");
            Assert.Equal(1, exit);
            Assert.Contains($"cell 3 (id {nb.Cells[2].Id}), line 2: InvalidOperationException on a thread the cell started: late; it ended the runner process (exit 134)", stderr);
            var written = NotebookReader.Read(path);
            Assert.Equal("late", written.Cells[2].Outputs.Single()["evalue"]!.GetValue<string>());
            Assert.Equal("RunnerProcessEnded", written.Cells[3].Outputs.Single()["ename"]!.GetValue<string>());
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void StackOverflowNamesTheCellAndLeavesTheNotebookWrittenUpToIt()
    {
        var nb = ThreeCells("int Deep(int n) => Deep(n + 1) + 1;\nDeep(0)");
        var path = TestNotebooks.WriteToTempFolder(nb, "deep.ipynb");
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "--inplace");
            Assert.Equal(1, exit);
            Assert.Contains($"{path}: cell 3 (id {nb.Cells[2].Id}) ended the runner process (exit 134, aborted: a stack overflow", stderr);
            Assert.Contains($"the notebook is written up to that cell, which is marked, to {path}", stderr);
            var written = NotebookReader.Read(path);
            Assert.Equal("2", Plain(written.Cells[1]));
            Assert.Equal("RunnerProcessEnded", written.Cells[2].Outputs.Single()["ename"]!.GetValue<string>());
            Assert.Empty(written.Cells[3].Outputs);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }
}
