namespace Workbench.Datasets;

/// <summary>
/// A named public data file: where it comes from, the SHA-256 of its bytes, and the file name it is kept under in
/// the cache. <see cref="Fetch"/> returns a verified local path, downloading on first use.
/// </summary>
/// <param name="Name">The short name used on the command line and in messages, e.g. <c>tiny-shakespeare</c>.</param>
/// <param name="FileName">The file's name in the cache and in a local copy's folder.</param>
/// <param name="Url">
/// The address that serves exactly these bytes, or null when none does (a cut of a larger archive): such a data
/// set is used from a local copy only.
/// </param>
/// <param name="Sha256">The SHA-256 of the file's bytes, 64 lowercase hex digits.</param>
/// <param name="Bytes">The file's length in bytes.</param>
/// <param name="Description">What the file holds and where it was first published.</param>
/// <param name="License">The terms it is distributed under, as far as its source states them.</param>
public sealed record PublicDataset(string Name, string FileName, Uri? Url, string Sha256, long Bytes, string Description, string License)
{
    /// <summary>
    /// For a data set that is a cut of a larger file (<see cref="Url"/> null): where the whole file is published and
    /// how this cut was made, so that it can be made again.
    /// </summary>
    public string? Origin { get; init; }

    /// <summary>The verified local path of the file (see <see cref="DatasetCache.Fetch"/>); the default cache when none is given.</summary>
    public string Fetch(DatasetCache? cache = null) => (cache ?? DatasetCache.FromEnvironment()).Fetch(this);

    /// <summary>As <see cref="Fetch"/>, asynchronously.</summary>
    public Task<string> FetchAsync(DatasetCache? cache = null, CancellationToken cancellationToken = default)
        => (cache ?? DatasetCache.FromEnvironment()).FetchAsync(this, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({FileName}, {Bytes:N0} bytes)";
}
