using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Workbench.Core.Tests.Fuzzing;
using Workbench.Runner.Dib;
using Workbench.Runner.Export;
using Workbench.Runner.Files;
using Workbench.Runner.Nbformat;
using Xunit.Abstractions;

namespace Workbench.Notebooks.Tests.Fuzzing;

/// <summary>
/// Hostile notebook files for the .ipynb and .dib readers: CsCheck generators mutate the committed seed corpus
/// (Fuzzing/Corpus and the Fixtures notebooks), structurally (JSON values swapped for edge values, .dib magic lines
/// inserted) and byte by byte. A file must either be read, or refused with <see cref="NotebookFormatException"/>; what
/// is read must then write, export and read back to the same notebook. Seeded and bounded (a fixed number of cases),
/// so a run is repeatable and takes seconds; a crash names the case, which goes into Corpus/Regressions.
/// </summary>
public sealed class NotebookFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const ulong Seed = 20261207;
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-nbfuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus");

    private static byte[][] Seeds(string extension) =>
        Directory.GetFiles(CorpusFolder, "*" + extension)
            .Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*" + extension, SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

    private void Report(string target, int cases, int rejected) =>
        output.WriteLine($"fuzz {target}: {cases} cases, {rejected} refused with NotebookFormatException, {cases - rejected} read, 0 crashes");

    // What was read must survive everything the workbench does with a notebook it did not run: write it back (the same
    // notebook reads again), convert it to .dib, export it to HTML.
    private static void ReadWriteExport(string path)
    {
        var notebook = NotebookFile.Read(path);
        var json = NotebookWriter.Serialize(notebook);
        Assert.Equal(json, NotebookWriter.Serialize(NotebookReader.Parse(json, "written")));
        DibReader.Parse(DibWriter.Serialize(notebook), "converted.dib");
        HtmlExporter.Export(notebook);
    }

    private static readonly JsonNode?[] EdgeValues =
    [
        null, JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(int.MaxValue), JsonValue.Create(4294967296L),
        JsonValue.Create(1e308), JsonValue.Create(0.5), JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("code"),
        JsonValue.Create("markdown"), JsonValue.Create("raw"), JsonValue.Create("stream"), JsonValue.Create("error"),
        JsonValue.Create("display_data"), JsonValue.Create("execute_result"), JsonValue.Create("#!fsharp\n"),
        JsonValue.Create("\u0000\uFFFF"), JsonValue.Create("parameters"), new JsonArray(), new JsonObject(),
        new JsonArray(JsonValue.Create(1), null), new JsonObject { ["a"] = new JsonArray(new JsonObject()) },
    ];

    // A seed notebook with one to four of its values (anywhere in the tree) replaced by edge values or removed.
    private static Gen<string> JsonEdits(byte[][] seeds) =>
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 1 << 20], Gen.Int[0, EdgeValues.Length], Gen.Bool).Array[1, 4])
            .Select((index, edits) =>
            {
                var root = JsonNode.Parse(seeds[index])!;
                foreach (var (where, value, remove) in edits)
                {
                    var nodes = new List<JsonNode>();
                    Collect(root, nodes);
                    var target = nodes[where % nodes.Count];
                    var replacement = value == EdgeValues.Length ? null : EdgeValues[value]?.DeepClone();
                    switch (target.Parent)
                    {
                        case JsonObject parent:
                            var key = target.GetPropertyName();
                            if (remove) parent.Remove(key);
                            else parent[key] = replacement;
                            break;
                        case JsonArray array:
                            var at = target.GetElementIndex();
                            if (remove) array.RemoveAt(at);
                            else array[at] = replacement;
                            break;
                    }
                }
                return root.ToJsonString();
            });

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        if (node.Parent is not null) into.Add(node);
        switch (node)
        {
            case JsonObject o: foreach (var (_, child) in o) if (child is not null) Collect(child, into); break;
            case JsonArray a: foreach (var child in a) if (child is not null) Collect(child, into); break;
        }
        if (into.Count == 0) into.Add(node);
    }

    [Fact]
    public void IpynbFileReader()
    {
        var seeds = Seeds(".ipynb");
        Assert.True(seeds.Length >= 4, "the seed corpus is missing");
        var path = Path.Combine(_folder, "fuzz.ipynb");
        int rejected = FuzzHarness.Run<string, NotebookFormatException>("ipynb (JSON values)", JsonEdits(seeds),
            json => { File.WriteAllText(path, json); ReadWriteExport(path); }, 1500, Seed);
        rejected += FuzzHarness.Run<byte[], NotebookFormatException>("ipynb (bytes)",
            Gen.Int[0, seeds.Length - 1].SelectMany(i => FuzzHarness.Mutations(seeds[i])),
            bytes => { File.WriteAllBytes(path, bytes); ReadWriteExport(path); }, 1500, Seed + 1);
        Report("ipynb reader", 3000, rejected);
    }

    // .dib lines a mutation can insert: magics, selectors with options, #!meta with good and bad JSON, blank lines.
    private static readonly string[] DibLines =
    [
        "#!csharp", "#!fsharp", "#!markdown", "#!meta", "#!python", "#!value --name x", "#!set --name a --value @csharp:b",
        "#!c#", "#!", "#!!", "{\"kernelInfo\":{\"defaultKernelName\":\"fsharp\",\"items\":[{\"name\":\"fsharp\"}]}}",
        "{\"kernelInfo\":{\"items\":5}}", "{\"kernelInfo\":null}", "{", "[]", "", "\r", "1 + 1", "#r \"nuget: X\"", "\uFEFF#!csharp",
    ];

    [Fact]
    public void DibFileReader()
    {
        var seeds = Seeds(".dib");
        Assert.True(seeds.Length >= 4, "the seed corpus is missing");
        var path = Path.Combine(_folder, "fuzz.dib");
        var lineEdits = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 1 << 20], Gen.Int[0, DibLines.Length - 1]).Array[1, 6])
            .Select((index, edits) =>
            {
                var lines = Encoding.UTF8.GetString(seeds[index]).Split('\n').ToList();
                foreach (var (where, line) in edits) lines.Insert(where % (lines.Count + 1), DibLines[line]);
                return string.Join('\n', lines);
            });
        int rejected = FuzzHarness.Run<string, NotebookFormatException>("dib (lines)", lineEdits,
            text => { File.WriteAllText(path, text); ReadWriteExport(path); }, 1500, Seed + 2);
        rejected += FuzzHarness.Run<byte[], NotebookFormatException>("dib (bytes)",
            Gen.Int[0, seeds.Length - 1].SelectMany(i => FuzzHarness.Mutations(seeds[i])),
            bytes => { File.WriteAllBytes(path, bytes); ReadWriteExport(path); }, 1500, Seed + 3);
        Report("dib reader", 3000, rejected);
    }

    [Fact]
    public void RegressionAnErrorOutputWithANumberForItsNameIsRefusedNamingTheField()
    {
        // Found by IpynbFileReader (case 58): the reader accepted it and `notebook export` crashed converting 5 to a string.
        var json = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "a", "metadata": {},
             "execution_count": 1, "source": "x", "outputs": [{"output_type": "error", "ename": 5, "evalue": "v", "traceback": []}]}]}
            """;
        var e = Assert.Throws<NotebookFormatException>(() => NotebookReader.Parse(json, "bad.ipynb"));
        Assert.Contains("cell 1 (code), output 1 (error): 'ename' must be a string, got a number", e.Message);
        var stream = json.Replace("\"output_type\": \"error\", \"ename\": 5", "\"output_type\": \"stream\", \"name\": 1, \"text\": \"t\", \"ename\": 5");
        Assert.Contains("'name' must be a string (stdout or stderr)", Assert.Throws<NotebookFormatException>(() => NotebookReader.Parse(stream, "bad.ipynb")).Message);
    }

    [Fact]
    public void RegressionADibWhoseMetaHasANullKernelInfoReads()
    {
        // Found by DibFileReader (case 2084 of the line edits): "kernelInfo": null crashed the reader with a NullReferenceException.
        var notebook = Workbench.Runner.Dib.DibReader.Parse("#!meta\n\n{\"kernelInfo\":null}\n\n#!csharp\n\n1 + 1\n", "null-kernels.dib");
        Assert.Equal("1 + 1", Assert.Single(notebook.Cells).Source);
    }
}
