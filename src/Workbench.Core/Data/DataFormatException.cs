namespace Workbench.Data;

/// <summary>A data file that cannot be read: the message names the file and the 1-based line.</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line where the problem is (0 when it concerns the whole file).</summary>
    public int LineNumber { get; }

    /// <summary>Creates the exception; the message becomes "<c>file:line: reason</c>".</summary>
    public DataFormatException(string filePath, int lineNumber, string reason)
        : base(lineNumber > 0 ? $"{filePath}:{lineNumber}: {reason}" : $"{filePath}: {reason}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }
}
