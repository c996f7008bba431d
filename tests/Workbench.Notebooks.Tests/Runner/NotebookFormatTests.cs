using System.Text.Json.Nodes;
using Workbench.Runner.Nbformat;

namespace Workbench.Notebooks.Tests.Runner;

public class NotebookFormatTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void JupyterWrittenNotebookIsRewrittenByteForByte()
    {
        var path = Fixture("roundtrip.ipynb");
        var text = File.ReadAllText(path);
        Assert.Equal(text, NotebookWriter.Serialize(NotebookReader.Read(path)));
    }

    [Fact]
    public void ReaderJoinsLinesAndKeepsEverything()
    {
        var nb = NotebookReader.Read(Fixture("roundtrip.ipynb"));
        Assert.Equal(5, nb.Cells.Count);
        Assert.Equal("# Title\n\nSome *text* with $x^2$ and a \"quote\" and a tab\there.", nb.Cells[0].Source);
        Assert.True(nb.Cells[1].HasTag("parameters"));
        var code = nb.Cells[2];
        Assert.Equal(2, code.ExecutionCount);
        Assert.Equal("hi\nthere\n", code.Outputs[0]["text"]!.GetValue<string>());
        Assert.Equal("<b>6</b>\n<i>x</i>", code.Outputs[1]["data"]!["text/html"]!.GetValue<string>());
        Assert.Equal("é ü 中文", nb.Metadata["custom"]!["nested"]![4]!.GetValue<string>());
        Assert.Equal("raw", nb.Cells[4].CellType);
    }

    [Fact]
    public void InvalidUtf8IsRefusedNamingTheByteOffset()
    {
        const string json = """{"cells":[{"cell_type":"code","id":"a1","execution_count":null,"metadata":{},"outputs":[],"source":"// XY"}],"metadata":{},"nbformat":4,"nbformat_minor":5}""";
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        int at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;
        string path = Path.Combine(Path.GetTempPath(), $"wb-utf8-{Guid.NewGuid():N}.ipynb");
        File.WriteAllBytes(path, bytes);
        try
        {
            var e = Assert.Throws<NotebookFormatException>(() => NotebookReader.Read(path));
            Assert.Contains($"byte {at} (0xFF)", e.Message);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RepeatedKeysTakeTheLastValueAsJupyterDoes()
    {
        // Python's json.loads (and so Jupyter) keeps the last of repeated keys; refusing the file broke run and export.
        const string json = """{"cells":[{"cell_type":"code","source":"1","execution_count":null,"metadata":{"a":1,"a":2},"outputs":[],"source":"2+2"}],"metadata":{},"nbformat":4,"nbformat":4,"nbformat_minor":5}""";
        var nb = NotebookReader.Parse(json, "dup.ipynb");
        Assert.Equal("2+2", nb.Cells[0].Source);
        var written = JsonNode.Parse(NotebookWriter.Serialize(nb))!;
        Assert.Equal(2, written["cells"]![0]!["metadata"]!["a"]!.GetValue<int>());
    }

    [Fact]
    public void OlderMinorVersionGetsCellIdsAndIsWrittenAs45()
    {
        const string json = """{"cells":[{"cell_type":"code","execution_count":null,"metadata":{},"outputs":[],"source":"1+1"}],"metadata":{},"nbformat":4,"nbformat_minor":2}""";
        var nb = NotebookReader.Parse(json, "old.ipynb");
        Assert.Matches("^[0-9a-f]{8}$", nb.Cells[0].Id);
        var written = JsonNode.Parse(NotebookWriter.Serialize(nb))!;
        Assert.Equal(5, written["nbformat_minor"]!.GetValue<int>());
        Assert.Equal(nb.Cells[0].Id, written["cells"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("1+1", written["cells"]![0]!["source"]![0]!.GetValue<string>());
    }

    [Fact]
    public void NewOutputsAreWrittenAsJupyterLineListsWithSortedKeys()
    {
        var nb = Notebook.CreateCSharp();
        var cell = NotebookCell.Code("x");
        cell.ExecutionCount = 1;
        cell.Outputs.Add(NotebookOutputs.Stream("stdout", "a\nb"));
        nb.Cells.Add(cell);
        var text = NotebookWriter.Serialize(nb);
        Assert.Contains("\"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"a\\n\",\n      \"b\"\n     ]", text);
        Assert.EndsWith("\"nbformat_minor\": 5\n}\n", text);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{\"cells\": [,]}", "invalid JSON at line 1, position 12" },
        { "{\n \"cells\": []\n \"metadata\": {}\n}", "invalid JSON at line 3" },
        { "[1, 2]", "the top level is not a JSON object" },
        { """{"cells":[],"metadata":{},"nbformat_minor":0}""", "missing field 'nbformat'" },
        { """{"cells":[],"metadata":{},"nbformat":3,"nbformat_minor":0}""", "nbformat 3 is not supported" },
        { """{"worksheets":[],"metadata":{},"nbformat":"4","nbformat_minor":0}""", "'nbformat' must be an integer, got a string" },
        { """{"metadata":{},"nbformat":4,"nbformat_minor":5}""", "missing field 'cells'" },
        { """{"cells":[],"nbformat":4,"nbformat_minor":5}""", "missing field 'metadata'" },
        { """{"cells":{},"metadata":{},"nbformat":4,"nbformat_minor":5}""", "'cells' must be a list, got an object" },
        { """{"cells":[{"cell_type":"code","metadata":{},"outputs":[]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 1 (code): missing field 'source'" },
        { """{"cells":[{"cell_type":"markdown","source":"x"},{"cell_type":"code","source":42}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 2 (code): 'source' must be a string or a list of strings, got a number 42" },
        { """{"cells":[{"cell_type":"code","source":["a", 1]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 1 (code): 'source' must be a string or a list of strings, got a list containing a number" },
        { """{"cells":[{"cell_type":"python","source":""}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 1: 'cell_type' must be \"code\", \"markdown\" or \"raw\"" },
        { """{"cells":[{"cell_type":"code","source":"","outputs":[{"output_type":"banana"}]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 1 (code), output 1: 'output_type' must be" },
        { """{"cells":[{"cell_type":"code","source":"","id":"a"},{"cell_type":"code","source":"","id":"a"}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 2: duplicate cell id 'a'" },
        { """{"cells":[{"cell_type":"code","source":"","id":"has space"}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "cell 1 (code): 'id' must be" },
        { """{"cells":[{"cell_type":"code","source":"","metadata":{"tags":"parameters"}}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", "'metadata.tags' must be a list of strings" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedNotebookErrorNamesFileAndProblemAndLeavesFileUntouched(string json, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("wb-nbformat-");
        try
        {
            var path = Path.Combine(dir.FullName, "broken.ipynb");
            File.WriteAllText(path, json);
            var before = File.GetLastWriteTimeUtc(path);
            var e = Assert.Throws<NotebookFormatException>(() => NotebookReader.Read(path));
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(problem, e.Message);
            Assert.Equal(json, File.ReadAllText(path));
            Assert.Equal(before, File.GetLastWriteTimeUtc(path));
            Assert.Single(Directory.GetFiles(dir.FullName));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void AtomicWriteReplacesTheFileAndLeavesNoTemporaryFiles()
    {
        var dir = Directory.CreateTempSubdirectory("wb-atomic-");
        try
        {
            var path = Path.Combine(dir.FullName, "n.ipynb");
            File.WriteAllText(path, "old");
            var nb = Notebook.CreateCSharp();
            nb.Cells.Add(NotebookCell.Code("1"));
            NotebookWriter.Write(nb, path);
            Assert.Equal(NotebookWriter.Serialize(nb), File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(dir.FullName));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void FailedAtomicWriteKeepsTheTargetAndRemovesTheTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("wb-atomic-");
        try
        {
            // The target is a folder: the final rename fails after the temporary file was written.
            var target = Path.Combine(dir.FullName, "n.ipynb");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "keep.txt"), "x");
            Assert.ThrowsAny<IOException>(() => NotebookWriter.WriteAllTextAtomic(target, "new"));
            Assert.Empty(Directory.GetFiles(dir.FullName));
            Assert.True(File.Exists(Path.Combine(target, "keep.txt")));
        }
        finally { dir.Delete(true); }
    }
}
