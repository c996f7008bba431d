using System.Security.Cryptography;
using Workbench.Core.Tests.Embeddings;
using Workbench.Datasets;

namespace Workbench.Core.Tests.Datasets;

/// <summary>
/// The download path of <see cref="DatasetCache"/> against a file server on 127.0.0.1: a good download used offline
/// afterwards, a checksum failure, a cut download resumed with a Range request, a refused connection, local copies.
/// </summary>
public sealed class DatasetCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "workbench-dataset-tests", Guid.NewGuid().ToString("N"));

    // 10,000 bytes that differ from any prefix of themselves, so a resume from the wrong offset cannot verify.
    private static readonly byte[] Content = Enumerable.Range(0, 10_000).Select(i => (byte)((i * 7919 + i / 251) % 256)).ToArray();

    private static readonly string ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(Content));

    private static PublicDataset Dataset(Uri? url, string? sha256 = null)
        => new("toy-set", "toy.bin", url, sha256 ?? ContentSha256, Content.Length, "A test file.", "None.");

    [Fact]
    public void DownloadsVerifiesAndThenServesTheCachedFileOffline()
    {
        string path;
        using (var server = new LoopbackHttpServer())
        {
            server.Serve("toy.bin", Content);
            var dataset = Dataset(server.Url("toy.bin"));
            path = new DatasetCache(_root).Fetch(dataset);
            Assert.Equal(Path.Combine(_root, "toy.bin"), path);
            Assert.Equal(Content, File.ReadAllBytes(path));
            Assert.Equal([("/toy.bin", (long?)null)], server.Requests);
            Assert.Equal(["toy.bin"], Directory.GetFiles(_root).Select(Path.GetFileName));
        }
        // The server is gone: the verified file is used where it is.
        var offline = Dataset(LoopbackHttpServer.RefusingUrl("toy.bin"));
        Assert.Equal(path, new DatasetCache(_root).Fetch(offline));
    }

    [Fact]
    public void AChecksumFailureNamesTheDataSetTheUrlAndBothHashesAndLeavesNoFile()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("toy.bin", Content);
        string expected = new('0', 64);
        var dataset = Dataset(server.Url("toy.bin"), expected);
        var e = Assert.Throws<DatasetDownloadException>(() => new DatasetCache(_root).Fetch(dataset));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("'toy-set'", e.Message);
        Assert.Contains(server.Url("toy.bin").ToString(), e.Message);
        Assert.Contains(ContentSha256, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Empty(Directory.GetFiles(_root));
    }

    [Fact]
    public void ACutDownloadResumesFromThePartialFileWithARangeRequest()
    {
        using var server = new LoopbackHttpServer { CutFirstResponseAfter = 4_000 };
        server.Serve("toy.bin", Content);
        var dataset = Dataset(server.Url("toy.bin"));

        // One attempt only: the cut leaves the first 4,000 bytes on disk and the file is not in the cache.
        var once = new DatasetCache(_root) { MaxAttempts = 1 };
        Assert.Throws<DatasetDownloadException>(() => once.Fetch(dataset));
        Assert.False(File.Exists(Path.Combine(_root, "toy.bin")));
        Assert.Equal(Content.AsSpan(0, 4_000).ToArray(), File.ReadAllBytes(Path.Combine(_root, "toy.bin.partial")));

        // The next fetch asks for the rest only, and the joined file verifies.
        string path = once.Fetch(dataset);
        Assert.Equal([("/toy.bin", (long?)null), ("/toy.bin", 4_000L)], server.Requests);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(["toy.bin"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void OneFetchRetriesACutDownloadByResumingIt()
    {
        using var server = new LoopbackHttpServer { CutFirstResponseAfter = 6_500 };
        server.Serve("toy.bin", Content);
        string path = new DatasetCache(_root).Fetch(Dataset(server.Url("toy.bin")));
        Assert.Equal([("/toy.bin", (long?)null), ("/toy.bin", 6_500L)], server.Requests);
        Assert.Equal(Content, File.ReadAllBytes(path));
    }

    [Fact]
    public void WithoutNetworkTheErrorNamesTheDataSetTheUrlTheCachePathAndHowToPlaceACopy()
    {
        var url = LoopbackHttpServer.RefusingUrl("toy.bin");
        var e = Assert.Throws<DatasetDownloadException>(() => new DatasetCache(_root).Fetch(Dataset(url)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("'toy-set'", e.Message);
        Assert.Contains(url.ToString(), e.Message);
        Assert.Contains(Path.Combine(_root, "toy.bin"), e.Message);
        Assert.Contains($"place toy.bin there, or name a folder holding it in {DatasetCache.MirrorVariable}", e.Message);
        Assert.False(File.Exists(Path.Combine(_root, "toy.bin")));
    }

    [Fact]
    public void AnHttpErrorIsReportedWithItsStatus()
    {
        using var server = new LoopbackHttpServer();
        var e = Assert.Throws<DatasetDownloadException>(() => new DatasetCache(_root).Fetch(Dataset(server.Url("toy.bin"))));
        Assert.Contains("404", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void AVerifiedLocalCopyIsUsedWhereItIsAndAWrongOneIsRefused()
    {
        string mirror = Path.Combine(_root, "mirror");
        Directory.CreateDirectory(mirror);
        File.WriteAllBytes(Path.Combine(mirror, "toy.bin"), Content);
        var cache = new DatasetCache(Path.Combine(_root, "cache"), [mirror]);
        var dataset = Dataset(LoopbackHttpServer.RefusingUrl("toy.bin"));
        Assert.Equal(Path.Combine(mirror, "toy.bin"), cache.Fetch(dataset));
        Assert.False(Directory.Exists(cache.Root));

        File.WriteAllBytes(Path.Combine(mirror, "toy.bin"), Content.AsSpan(1).ToArray());
        var e = Assert.Throws<DatasetDownloadException>(() => cache.Fetch(dataset));
        Assert.Contains(ContentSha256, e.Message);
        Assert.Contains(Path.Combine(mirror, "toy.bin"), e.Message);
    }

    [Fact]
    public void FromEnvironmentAddsTheNamedLocalCopiesThatExist()
    {
        Directory.CreateDirectory(_root);
        string missing = Path.Combine(_root, "missing");
        var cache = DatasetCache.FromEnvironment([_root, missing]);
        Assert.Contains(_root, cache.Mirrors);
        Assert.DoesNotContain(missing, cache.Mirrors);
    }

    [Fact]
    public void ACutWithoutAddressAsksForALocalCopy()
    {
        var e = Assert.Throws<DatasetDownloadException>(() => new DatasetCache(_root).Fetch(PublicDatasets.GloVe6B50d));
        Assert.Contains("'glove-6b-50d-top17664' has no download address", e.Message);
        Assert.Contains(Path.Combine(_root, "glove.6B.50d.top17664.txt"), e.Message);
    }

    [Fact]
    public void TheCatalogHasUniqueNamesAndWellFormedChecksums()
    {
        var all = PublicDatasets.All;
        Assert.Equal(7, all.Count);
        Assert.Equal(all.Count, all.Select(d => d.Name).Distinct().Count());
        Assert.Equal(all.Count, all.Select(d => d.FileName).Distinct().Count());
        foreach (var d in all)
        {
            Assert.Matches("^[0-9a-f]{64}$", d.Sha256);
            // Exactly the cuts have no address, and each of them says where it was cut from.
            Assert.Equal(d.Url is null, d.Origin is not null);
        }
        Assert.Same(PublicDatasets.SimLex999, PublicDatasets.Get("SIMLEX999"));
        var e = Assert.Throws<ArgumentException>(() => PublicDatasets.Get("imdb"));
        Assert.Contains("'imdb'", e.Message);
        Assert.Contains("tiny-shakespeare", e.Message);
    }

    // Copies of the public files may sit beside the repository (../shared/data) or in the folders that
    // WORKBENCH_DATA_MIRROR names; on a machine with neither, this test checks nothing beyond the catalog test above.
    [Fact]
    public void TheCatalogChecksumsAreThoseOfTheSharedCopies()
    {
        var candidates = new List<string> { Path.Combine(RepoPaths.Root, "..", "shared", "data") };
        candidates.AddRange((Environment.GetEnvironmentVariable(DatasetCache.MirrorVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string? shared = candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, PublicDatasets.AirlinePassengers.FileName)));
        if (shared is null) return;
        var cache = new DatasetCache(_root, [shared]);
        foreach (var d in PublicDatasets.All)
        {
            string path = cache.Fetch(d); // verifies the SHA-256 of the copy
            Assert.Equal(Path.GetFullPath(Path.Combine(shared, d.FileName)), path);
            Assert.Equal(d.Bytes, new FileInfo(path).Length);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
