namespace Workbench.Runner.Nbformat;

/// <summary>A notebook file that cannot be read: the message names the file and what is wrong (and where).</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception; the message is "<paramref name="path"/>: <paramref name="problem"/>".</summary>
    public NotebookFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or source name) that was read.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
