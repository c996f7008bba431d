namespace Workbench.Datasets;

/// <summary>A data set that could not be made available: the one-line message names the data set and what to do.</summary>
public sealed class DatasetDownloadException : IOException
{
    /// <summary>Creates the exception for <paramref name="dataset"/>.</summary>
    public DatasetDownloadException(PublicDataset dataset, string message, Exception? inner = null) : base(message, inner)
    {
        Dataset = dataset;
    }

    /// <summary>The data set concerned.</summary>
    public PublicDataset Dataset { get; }
}
