using Workbench.Protocol.Client;

namespace Workbench.Protocol.Tests;

public sealed class KernelSpecTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kernelspecs-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private string Write(string dir, string name, string json)
    {
        var folder = Path.Combine(_root, dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.json"), json);
        return folder;
    }

    [Fact]
    public void FirstFolderWinsAndArgvIsSubstituted()
    {
        var first = Write("a", "py", """{"argv": ["python", "-f", "{connection_file}", "--res={resource_dir}"], "display_name": "A", "language": "python"}""");
        Write("b", "py", """{"argv": ["other"], "display_name": "B", "language": "python", "interrupt_mode": "message"}""");
        var spec = KernelSpec.Find("PY", new[] { Path.Combine(_root, "missing"), Path.Combine(_root, "a"), Path.Combine(_root, "b") });
        Assert.Equal("A", spec.DisplayName);
        Assert.Equal("signal", spec.InterruptMode);
        Assert.Equal(new[] { "python", "-f", "/tmp/c.json", "--res=" + first }, spec.CommandLine("/tmp/c.json"));
        Assert.Equal("message", KernelSpec.Find("py", new[] { Path.Combine(_root, "b") }).InterruptMode);
    }

    [Fact]
    public void MissingKernelspecNamesItAndEveryFolderSearched()
    {
        var dirs = new[] { Path.Combine(_root, "x"), Path.Combine(_root, "y") };
        var e = Assert.Throws<KernelSpecNotFoundException>(() => KernelSpec.Find("python3", dirs));
        Assert.Contains("no Jupyter kernelspec named 'python3'", e.Message);
        Assert.Contains($"looked in {dirs[0]}, {dirs[1]}", e.Message);
    }

    [Fact]
    public void BadKernelJsonNamesTheFileAndField()
    {
        Write("c", "bad", """{"argv": [], "display_name": "x"}""");
        var e = Assert.Throws<FormatException>(() => KernelSpec.Find("bad", new[] { Path.Combine(_root, "c") }));
        Assert.Contains(Path.Combine(_root, "c", "bad", "kernel.json"), e.Message);
        Assert.Contains("\"argv\"", e.Message);
    }

    [Fact]
    public void SearchPathFollowsJupyterClientOrder()
    {
        var saved = (Environment.GetEnvironmentVariable("JUPYTER_PATH"), Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR"));
        try
        {
            Environment.SetEnvironmentVariable("JUPYTER_PATH", $"/p1{Path.PathSeparator}/p2");
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", "/user-data");
            Assert.Equal(new[] { "/p1/kernels", "/p2/kernels", "/user-data/kernels", "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels" },
                JupyterPaths.KernelDirectories());
        }
        finally
        {
            Environment.SetEnvironmentVariable("JUPYTER_PATH", saved.Item1);
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", saved.Item2);
        }
    }
}
