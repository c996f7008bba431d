using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Workbench.Datasets;

/// <summary>
/// Where public data sets live on this machine: a cache folder that files are downloaded into once, verified by
/// SHA-256 and then used offline, and local copies looked in first.
/// </summary>
/// <remarks>
/// <para>A download goes to <c>FILE.partial</c> in the cache folder (a rename is atomic only within one file system),
/// is hashed, and only a file with the expected SHA-256 is renamed to its name; a wrong file is deleted. So a file
/// under its own name in the cache is always complete and verified. A download that is cut off keeps its partial
/// file, and the next attempt (in this call or a later one) asks the server for the rest with an HTTP Range
/// request.</para>
/// <para>A local copy (<see cref="Mirrors"/>) is used where it is, without copying, once its SHA-256 matches.</para>
/// </remarks>
public sealed class DatasetCache
{
    /// <summary>The environment variable naming the cache folder.</summary>
    public const string CacheVariable = "WORKBENCH_DATA";

    /// <summary>The environment variable naming folders of local copies, separated as PATH is.</summary>
    public const string MirrorVariable = "WORKBENCH_DATA_MIRROR";

    private readonly HttpMessageHandler? _handler;

    /// <summary>A cache in <paramref name="root"/> that looks in <paramref name="mirrors"/> first.</summary>
    /// <param name="root">The cache folder; created on the first download.</param>
    /// <param name="mirrors">Folders holding local copies under the data sets' file names.</param>
    /// <param name="handler">The HTTP handler to download with (the default one when null).</param>
    public DatasetCache(string root, IEnumerable<string>? mirrors = null, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Mirrors = (mirrors ?? []).Where(m => !string.IsNullOrWhiteSpace(m)).Select(Path.GetFullPath).ToArray();
        _handler = handler;
    }

    /// <summary>
    /// The cache of <see cref="CacheVariable"/> (else <see cref="DefaultRoot"/>) with the local copies of
    /// <see cref="MirrorVariable"/>, then those of <paramref name="localCopies"/> that exist (e.g. a data folder beside
    /// a clone, which a notebook can name without requiring it).
    /// </summary>
    public static DatasetCache FromEnvironment(IEnumerable<string>? localCopies = null)
    {
        string? root = Environment.GetEnvironmentVariable(CacheVariable);
        var mirrors = (Environment.GetEnvironmentVariable(MirrorVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat((localCopies ?? []).Where(Directory.Exists));
        return new DatasetCache(string.IsNullOrWhiteSpace(root) ? DefaultRoot() : root, mirrors);
    }

    /// <summary>
    /// The user's cache folder for data: <c>$XDG_CACHE_HOME/workbench/data</c>, else <c>~/.cache/workbench/data</c>
    /// (on Windows, <c>%LOCALAPPDATA%\workbench\data</c>).
    /// </summary>
    public static string DefaultRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "workbench", "data");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "workbench", "data");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "workbench", "data");
    }

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>Folders of local copies, looked in before the cache and the network.</summary>
    public IReadOnlyList<string> Mirrors { get; }

    /// <summary>How many times one <see cref="Fetch"/> tries the download, each try resuming the last (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Where <paramref name="dataset"/> is kept in the cache, whether or not it is there.</summary>
    public string CachePath(PublicDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Path.Combine(Root, dataset.FileName);
    }

    /// <summary>
    /// The local path of <paramref name="dataset"/> without using the network: a verified local copy, else the cached
    /// file; null when neither exists.
    /// </summary>
    /// <exception cref="DatasetDownloadException">A local copy exists but its SHA-256 is not the data set's.</exception>
    public string? Locate(PublicDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        foreach (string mirror in Mirrors)
        {
            string copy = Path.Combine(mirror, dataset.FileName);
            if (!File.Exists(copy)) continue;
            string actual = HashFile(copy);
            if (actual != dataset.Sha256)
                throw new DatasetDownloadException(dataset,
                    $"Data set '{dataset.Name}': the local copy {copy} has SHA-256 {actual}, expected {dataset.Sha256}; replace or remove it.");
            return copy;
        }
        string cached = CachePath(dataset);
        return File.Exists(cached) ? cached : null;
    }

    /// <summary>The local path of <paramref name="dataset"/>, downloading and verifying it first if needed.</summary>
    /// <exception cref="DatasetDownloadException">
    /// The file cannot be had: no address and no local copy, the server cannot be reached, or the downloaded bytes
    /// have the wrong SHA-256. The one-line message names the data set, the address and what to do.
    /// </exception>
    public string Fetch(PublicDataset dataset) => FetchAsync(dataset).GetAwaiter().GetResult();

    /// <summary>As <see cref="Fetch"/>, asynchronously.</summary>
    public async Task<string> FetchAsync(PublicDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (Locate(dataset) is string local) return local;
        string target = CachePath(dataset);
        if (dataset.Url is null)
            throw new DatasetDownloadException(dataset,
                $"Data set '{dataset.Name}' has no download address (it is a cut of a larger archive) and is not in the cache: "
                + $"place {dataset.FileName} at {target}, or name a folder holding it in {MirrorVariable}.");

        Directory.CreateDirectory(Root);
        string partial = target + ".partial";
        using var client = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
        Exception? last = null;
        for (int attempt = 1; attempt <= Math.Max(1, MaxAttempts); attempt++)
        {
            try
            {
                await DownloadAsync(client, dataset.Url, partial, cancellationToken).ConfigureAwait(false);
                last = null;
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
                // A refused connection or an HTTP error status will come again: only a cut transfer is worth resuming at once.
                if (e is HttpRequestException { StatusCode: not null }
                    or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }) break;
            }
        }
        if (last is not null)
            throw new DatasetDownloadException(dataset,
                $"Data set '{dataset.Name}' could not be downloaded from {dataset.Url} ({OneLine(last)}) and is not in the cache "
                + $"{target}: without network, place {dataset.FileName} there, or name a folder holding it in {MirrorVariable}.", last);

        string actual = HashFile(partial);
        if (actual != dataset.Sha256)
        {
            File.Delete(partial);
            throw new DatasetDownloadException(dataset,
                $"Data set '{dataset.Name}': the file downloaded from {dataset.Url} has SHA-256 {actual}, expected {dataset.Sha256}; it was deleted.");
        }
        File.Move(partial, target, overwrite: true);
        return target;
    }

    // Appends the rest of the file to `partial`, asking for it with a Range request when part of it is already there.
    private static async Task DownloadAsync(HttpClient client, Uri url, string partial, CancellationToken cancellationToken)
    {
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is as long as the whole or longer: start again rather than trust it.
            File.Delete(partial);
            throw new IOException("the server refused the resume range; the partial file was dropped");
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        bool resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent
            && response.Content.Headers.ContentRange?.From == have;
        using var file = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(file, 1 << 16, cancellationToken).ConfigureAwait(false);
        file.Flush(flushToDisk: true);
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string OneLine(Exception e)
    {
        string message = e.InnerException is { } inner && !string.IsNullOrWhiteSpace(inner.Message) && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} {inner.Message}" : e.Message;
        return message.ReplaceLineEndings(" ").Trim();
    }
}
