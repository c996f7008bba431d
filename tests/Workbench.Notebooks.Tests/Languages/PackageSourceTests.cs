using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>
/// #i "nuget: SOURCE" and #r "nuget: Name[, range]" against a local folder feed written by the test (packages built
/// with Roslyn and zipped by hand; a fresh package id per run so the machine's package cache holds no stale copy).
/// </summary>
public sealed class PackageSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-feed-").FullName;
    private readonly string _id = "WbFeedTest.P" + Guid.NewGuid().ToString("N")[..10];

    public PackageSourceTests()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_folder, "feed")).FullName;
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0", "3.0.0-beta.1" }) WritePackage(feed, version);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }

    private async Task<CellExecutionResult> RunInNewSession(string code)
    {
        using var session = new NotebookSession(new NotebookSessionOptions { WorkingDirectory = _folder });
        return await session.ExecuteAsync(code, new RecordingOutput());
    }

    [Theory]
    [InlineData("", "2.0.0")]              // no version: the newest stable one the sources serve
    [InlineData(", 1.*", "1.1.0")]         // a floating range
    [InlineData(", *-*", "3.0.0-beta.1")]  // newest including prereleases
    [InlineData(", 1.0.0", "1.0.0")]
    public async Task LocalFeedRelativeToTheNotebookServesVersionsAndRanges(string version, string expected)
    {
        var r = await RunInNewSession($"#i \"nuget: feed\"\n#r \"nuget: {_id}{version}\"\n{_id}.Greeting.Version");
        Assert.True(r.Error is null, r.Error?.Value);
        Assert.Equal(expected, r.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task RestoreErrorNamesThePackageTheVersionAndTheSources()
    {
        var r = await RunInNewSession($"#i \"nuget: {Path.Combine(_folder, "feed")}\"\n\n#r \"nuget: {_id}, 9.0.0\"");
        Assert.Equal("DirectiveError", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
        Assert.Contains($"{_id} 9.0.0", r.Error.Value);
        Assert.Contains(Path.Combine(_folder, "feed"), r.Error.Value);
    }

    [Fact]
    public async Task AMissingLocalSourceIsAnErrorNamingIt()
    {
        var r = await RunInNewSession("var a = 1;\n#i \"nuget: no-such-feed\"");
        Assert.Equal("DirectiveError", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Contains(Path.Combine(_folder, "no-such-feed"), r.Error.Value);
    }

    private void WritePackage(string feed, string version)
    {
        var code = $"namespace {_id} {{ public static class Greeting {{ public static string Version => \"{version}\"; }} }}";
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = new[] { "System.Runtime.dll", "System.Private.CoreLib.dll" }.Select(f => MetadataReference.CreateFromFile(Path.Combine(runtime, f)));
        var compilation = CSharpCompilation.Create(_id, new[] { CSharpSyntaxTree.ParseText(code) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        using var zip = ZipFile.Open(Path.Combine(feed, $"{_id}.{version}.nupkg"), ZipArchiveMode.Create);
        Write(zip, $"{_id}.nuspec",
            $"<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata>" +
            $"<id>{_id}</id><version>{version}</version><authors>test</authors><description>test package</description></metadata></package>");
        Write(zip, "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"nuspec\" ContentType=\"application/octet\" /><Default Extension=\"dll\" ContentType=\"application/octet\" /></Types>");
        var entry = zip.CreateEntry($"lib/{tfm}/{_id}.dll");
        using var s = entry.Open();
        dll.Position = 0;
        dll.CopyTo(s);
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        using var w = new StreamWriter(zip.CreateEntry(name).Open());
        w.Write(text);
    }
}
