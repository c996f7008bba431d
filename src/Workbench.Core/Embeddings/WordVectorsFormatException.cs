namespace Workbench.Embeddings;

/// <summary>A word-vector file that cannot be read: names the file and the line (text) or byte offset (binary).</summary>
public sealed class WordVectorsFormatException : FormatException
{
    /// <summary>The file that was being read.</summary>
    public string FileName { get; }

    /// <summary>1-based line number for text formats, or null.</summary>
    public long? Line { get; }

    /// <summary>Byte offset for the binary format, or null.</summary>
    public long? ByteOffset { get; }

    /// <summary>Creates the exception; the message starts with "file:line:" or "file@byte offset:".</summary>
    public WordVectorsFormatException(string fileName, long? line, long? byteOffset, string problem, Exception? inner = null)
        : base($"{fileName}{(line is not null ? $":{line}" : "")}{(byteOffset is not null ? $" (byte offset {byteOffset})" : "")}: {problem}", inner)
    {
        FileName = fileName;
        Line = line;
        ByteOffset = byteOffset;
    }
}
