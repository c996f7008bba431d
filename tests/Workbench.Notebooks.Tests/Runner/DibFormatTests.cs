using System.Text;
using System.Text.Json.Nodes;
using Workbench.Runner.Dib;
using Workbench.Runner.Files;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Polyglot;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>
/// The .dib reader and writer against files and parses of the reference implementation
/// (Microsoft.DotNet.Interactive.Documents, see tests/fixtures/dib-generator).
/// </summary>
public class DibFormatTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dib", name);

    [Theory]
    [InlineData("polyglot.dib")]
    [InlineData("blank-lines.dib")]
    [InlineData("crlf.dib")]
    public void OfficialDibRoundTripsThroughIpynbByteForByte(string name)
    {
        var original = File.ReadAllBytes(Fixture(name));
        var text = DibReader.Decode(original, name);
        var ipynb = NotebookWriter.Serialize(DibReader.Parse(text, name));
        var back = DibWriter.Serialize(NotebookReader.Parse(ipynb, name + ".ipynb"), DibReader.DetectNewline(text));
        Assert.Equal(Encoding.UTF8.GetString(original), back);
        Assert.Equal(original, Encoding.UTF8.GetBytes(back));
    }

    [Theory]
    [InlineData("polyglot.dib")]
    [InlineData("crlf.dib")]
    public void ConvertWritesIpynbAndBackToTheSameBytes(string name)
    {
        var dir = Directory.CreateTempSubdirectory("wb-dib-");
        try
        {
            var ipynb = Path.Combine(dir.FullName, "x.ipynb");
            var dib = Path.Combine(dir.FullName, "x.dib");
            NotebookFile.Convert(Fixture(name), ipynb);
            Assert.Equal(NotebookWriter.Serialize(NotebookReader.Read(ipynb)), File.ReadAllText(ipynb)); // Jupyter's own layout
            // The ipynb has no memory of CRLF: the line end is given, as `convert --eol crlf` does.
            NotebookFile.Convert(ipynb, dib, name == "crlf.dib" ? "\r\n" : null);
            Assert.Equal(File.ReadAllBytes(Fixture(name)), File.ReadAllBytes(dib));
        }
        finally { dir.Delete(true); }
    }

    public static TheoryData<string> OracleFiles() => new(ParseOracle().Select(o => o!["file"]!.GetValue<string>()));

    private static JsonArray ParseOracle() => (JsonArray)JsonNode.Parse(File.ReadAllText(Fixture("parse-oracle.json")))!;

    [Theory]
    [MemberData(nameof(OracleFiles))]
    public void CellsAreSplitAsTheReferenceParserSplitsThem(string name)
    {
        var expected = ParseOracle().Single(o => o!["file"]!.GetValue<string>() == name)!;
        var notebook = DibReader.Read(Fixture(name));
        var cells = notebook.Cells.Select(c => (Kernel: (c.IsCode ? PolyglotMetadata.CellKernelName(c) : c.CellType) ?? "?", c.Source)).ToList();
        var want = ((JsonArray)expected["cells"]!).Select(c => (Kernel: c!["kernelName"]!.GetValue<string>(), Source: c["contents"]!.GetValue<string>())).ToList();
        Assert.Equal(want, cells);
        Assert.Equal(expected["defaultKernelName"]?.GetValue<string>(), PolyglotMetadata.KernelInfo(notebook)?.DefaultKernelName);
    }

    [Fact]
    public void PolyglotDibBecomesANotebookWithCellLanguagesAndKernelInfo()
    {
        var nb = DibReader.Read(Fixture("polyglot.dib"));
        Assert.Equal(["markdown", "code", "code", "code", "code", "code", "code", "code"], nb.Cells.Select(c => c.CellType));
        Assert.Equal(["csharp", "html", "mermaid", "javascript", "csharp", "fsharp", "value"],
            nb.Cells.Where(c => c.IsCode).Select(c => PolyglotMetadata.CellKernelName(c)));
        Assert.Equal("var words = new[] { \"king\", \"queen\" };\n\n\nwords.Length", nb.Cells[1].Source);
        var info = PolyglotMetadata.KernelInfo(nb)!;
        Assert.Equal("csharp", info.DefaultKernelName);
        Assert.Equal(["csharp", "vscode", "fsharp", "html", "http", "javascript", "mermaid", "pwsh", "value"], info.Items.Select(i => i.Name));
        Assert.Equal(["frontend"], info.Items[1].Aliases);
        Assert.Equal("workbench-csharp", nb.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        // The same notebook as ids and all, so converting twice gives the same file.
        Assert.Equal(NotebookWriter.Serialize(nb), NotebookWriter.Serialize(DibReader.Read(Fixture("polyglot.dib"))));
    }

    [Fact]
    public void OtherMetaKeysCarryOverAndAFileKernelIsASeparator()
    {
        var nb = DibReader.Read(Fixture("meta-default.dib"));
        Assert.Equal("{\"a\":[1,2]}", nb.Metadata["custom"]!.ToJsonString());
        Assert.Equal("javascript", PolyglotMetadata.DefaultKernelName(nb));
        var dib = DibWriter.Serialize(nb);
        Assert.StartsWith("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"javascript\",\"items\":[{\"name\":\"javascript\",\"aliases\":[\"js\"]},"
            + "{\"name\":\"spiral\",\"languageName\":\"Spiral\",\"aliases\":[\"sp\"]},{\"name\":\"csharp\",", dib);
        Assert.Contains("]},\"custom\":{\"a\":[1,2]}}\n\n#!csharp\n\nlet first = 1;\n\n#!spiral\n\nspiral code\n\n#!meta\n\nsecond meta is content\n", dib);
    }

    [Fact]
    public void IpynbWithoutPolyglotMetadataGetsTheWellKnownKernelsAndMarkdownCells()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("# Title\n"));
        nb.Cells.Add(NotebookCell.Code("\n\nvar x = 1;\n\n"));
        nb.Cells.Add(NotebookCell.Code(""));
        var html = NotebookCell.Code("<b>x</b>");
        html.Metadata["dotnet_interactive"] = new JsonObject { ["language"] = "html" };
        nb.Cells.Add(html);
        Assert.Equal(
            "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":null,\"items\":[{\"name\":\"csharp\",\"languageName\":\"C#\",\"aliases\":[\"c#\",\"cs\"]},"
            + "{\"name\":\"fsharp\",\"languageName\":\"F#\",\"aliases\":[\"f#\",\"fs\"]},{\"name\":\"html\",\"languageName\":\"HTML\"},"
            + "{\"name\":\"http\",\"languageName\":\"HTTP\"},{\"name\":\"javascript\",\"languageName\":\"JavaScript\",\"aliases\":[\"js\"]},"
            + "{\"name\":\"mermaid\",\"languageName\":\"Mermaid\"},{\"name\":\"pwsh\",\"languageName\":\"PowerShell\",\"aliases\":[\"powershell\"]},"
            + "{\"name\":\"value\"}]}}\n\n#!markdown\n\n# Title\n\n#!csharp\n\nvar x = 1;\n\n#!html\n\n<b>x</b>\n",
            DibWriter.Serialize(nb));
    }

    [Theory]
    [InlineData("#!meta\n\n{\"kernelInfo\": [1,}\n\n#!csharp\n\n1", "bad.dib: line 3: invalid JSON in the #!meta block (position 19): '}' is an invalid start of a value.")]
    [InlineData("#!csharp\n1\n#!meta\n\n\n#!csharp\n2", "bad.dib: line 3: the #!meta block holds no JSON")]
    [InlineData("#!meta\n[1, 2]\n#!csharp\n", "bad.dib: line 1: the #!meta block must be a JSON object, got a list")]
    [InlineData("#!meta\n{\"kernelInfo\":{\"items\":[{\"name\":\"#x\"}]}}\n", "bad.dib: line 1: #!meta: 'kernelInfo.items[0].name' must be a kernel name")]
    [InlineData("#!meta\n{\"kernelInfo\":{\"items\":[{\"name\":\"a\",\"aliases\":[\"b\"]},{\"name\":\"c\",\"aliases\":[\"b\"]}]}}\n", "bad.dib: line 1: #!meta: 'kernelInfo.items[1]': the name or an alias of 'c' already names another kernel")]
    [InlineData("#!meta\n{\"kernelInfo\":{\"defaultKernelName\":3}}\n", "bad.dib: line 1: #!meta: 'kernelInfo.defaultKernelName' must be a string, got a number")]
    [InlineData("#!meta\n{\"kernelInfo\":{\"items\":[{\"name\":\"sql\",\"aliases\":[\"cs\"]}]}}\n", "bad.dib: line 1: #!meta: kernel 'sql' has a name or alias that already names another kernel")]
    [InlineData("#!csharp\n\nvar a = 1;\nvar b = '\0';\n", "bad.dib: line 4: a NUL character")]
    public void MalformedDibIsOneLineNamingFileAndLine(string text, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => DibReader.Parse(text, "bad.dib"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void InvalidUtf8NamesTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes("#!csharp\n\nvar ok = 1;\nvar s = \"").Concat(new byte[] { 0xC3, 0x28, (byte)'"', (byte)';', (byte)'\n' }).ToArray();
        var e = Assert.Throws<NotebookFormatException>(() => DibReader.Decode(bytes, "bad.dib"));
        Assert.Equal("bad.dib: line 4: invalid UTF-8 (a .dib file is UTF-8 text)", e.Message);
        // A byte-order mark is not content.
        Assert.Equal("#!csharp", DibReader.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("#!csharp")], "bom.dib"));
    }
}
