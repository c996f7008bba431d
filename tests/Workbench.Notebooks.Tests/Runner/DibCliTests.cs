using Workbench.Runner.Nbformat;
using Workbench.Runner.Polyglot;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>`workbench notebook run/export/convert` with .dib files, through the built CLI.</summary>
[Collection(RunnerCollection.Name)]
public class DibCliTests
{
    // As Polyglot Notebooks writes it: #!meta with kernelInfo, then each cell after its kernel line and an empty line.
    private const string Runnable = """
        #!meta

        {"kernelInfo":{"defaultKernelName":"csharp","items":[{"name":"csharp","languageName":"C#","aliases":["c#","cs"]}]}}

        #!markdown

        # A .dib notebook

        #!csharp

        var n = 6 * 7;
        Console.WriteLine(n);

        #!mermaid

        graph LR
            A --> B

        #!html

        <i>italic</i>

        #!csharp

        n + 1

        """;

    private static string WriteDib(string text, string name = "notebook.dib")
    {
        var dir = Directory.CreateTempSubdirectory("wb-dib-cli-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"));
        return path;
    }

    [Fact]
    public void DibRunsCellByCellAndIsNotRewritten()
    {
        var path = WriteDib(Runnable);
        var dir = Path.GetDirectoryName(path)!;
        try
        {
            var before = File.ReadAllBytes(path);
            var (exit, stdout, stderr) = TestNotebooks.RunCli("notebook", "run", path);
            Assert.True(exit == 0, stderr);
            Assert.Contains("4 cells ran, not written (a .dib holds no outputs", stdout);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.False(File.Exists(Path.ChangeExtension(path, ".ipynb")));

            var outDir = Path.Combine(dir, "out");
            (exit, stdout, stderr) = TestNotebooks.RunCli("notebook", "run", path, "-o", outDir);
            Assert.True(exit == 0, stderr);
            var executed = NotebookReader.Read(Path.Combine(outDir, "notebook.ipynb"));
            Assert.Equal(["markdown", "code", "code", "code", "code"], executed.Cells.Select(c => c.CellType));
            Assert.Equal("42\n", executed.Cells[1].Outputs.Single()["text"]!.GetValue<string>());
            Assert.Equal("graph LR\n    A --> B", executed.Cells[2].Outputs.Single()["data"]!["text/vnd.mermaid"]!.GetValue<string>());
            Assert.Equal("<i>italic</i>", executed.Cells[3].Outputs.Single()["data"]!["text/html"]!.GetValue<string>());
            Assert.Equal("43", executed.Cells[4].Outputs.Single()["data"]!["text/plain"]!.GetValue<string>());
            Assert.Equal("mermaid", PolyglotMetadata.CellKernelName(executed.Cells[2]));

            var inplace = TestNotebooks.RunCli("notebook", "run", path, "--inplace");
            Assert.Equal(2, inplace.ExitCode);
            Assert.Contains("a .dib file holds no outputs", inplace.Stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ConvertGoesBothWaysAndExportReadsDib()
    {
        var path = WriteDib(Runnable);
        var dir = Path.GetDirectoryName(path)!;
        try
        {
            var ipynb = Path.Combine(dir, "converted.ipynb");
            var (exit, stdout, stderr) = TestNotebooks.RunCli("notebook", "convert", path, ipynb);
            Assert.True(exit == 0, stderr);
            Assert.Contains("5 cells written to", stdout);
            var back = Path.Combine(dir, "back.dib");
            Assert.Equal(0, TestNotebooks.RunCli("notebook", "convert", ipynb, back).ExitCode);
            // The kernel list gains the well-known kernels Polyglot Notebooks adds when it saves; the cells are the same.
            var expected = Runnable.Replace("\r\n", "\n").Replace("\"aliases\":[\"c#\",\"cs\"]}]}}",
                "\"aliases\":[\"c#\",\"cs\"]},{\"name\":\"fsharp\",\"languageName\":\"F#\",\"aliases\":[\"f#\",\"fs\"]},{\"name\":\"html\",\"languageName\":\"HTML\"},"
                + "{\"name\":\"http\",\"languageName\":\"HTTP\"},{\"name\":\"javascript\",\"languageName\":\"JavaScript\",\"aliases\":[\"js\"]},"
                + "{\"name\":\"mermaid\",\"languageName\":\"Mermaid\"},{\"name\":\"pwsh\",\"languageName\":\"PowerShell\",\"aliases\":[\"powershell\"]},{\"name\":\"value\"}]}}");
            Assert.Equal(expected.TrimEnd('\n') + "\n", File.ReadAllText(back));

            var html = Path.Combine(dir, "page.html");
            Assert.Equal(0, TestNotebooks.RunCli("notebook", "export", path, "-o", html).ExitCode);
            Assert.Contains(">A .dib notebook</h1>", File.ReadAllText(html));
            Assert.Contains("<code class=\"language-mermaid\">graph LR", File.ReadAllText(html));

            Assert.Equal(2, TestNotebooks.RunCli("notebook", "convert", path, Path.Combine(dir, "x.txt")).ExitCode);
            Assert.Equal(2, TestNotebooks.RunCli("notebook", "convert", path, path).ExitCode);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MalformedDibIsAOneLineErrorNamingFileAndLine()
    {
        var path = WriteDib("#!csharp\n\n1\n\n#!meta\n\n{\"kernelInfo\": {\"items\": 3}}\n\n#!csharp\n\n2\n", "broken.dib");
        try
        {
            foreach (var args in new[] { new[] { "notebook", "run", path }, ["notebook", "convert", path, path + ".ipynb"], ["notebook", "export", path] })
            {
                var (exit, _, stderr) = TestNotebooks.RunCli(args);
                Assert.Equal(1, exit);
                Assert.Contains($"{path}: line 5: #!meta: 'kernelInfo.items' must be a list, got a number", stderr);
                Assert.Single(stderr.Trim().Split('\n'));
            }
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }
}
