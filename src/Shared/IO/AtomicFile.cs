using System.Text;

namespace Workbench.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a partial one: the content
/// goes to <c>name.tmp-&lt;random&gt;</c> in the same folder (a rename is atomic only within one file system), is
/// flushed to disk, then renamed over the target. A missing folder is created first.
/// </summary>
/// <remarks>
/// One implementation for every project that writes files: this source file is compiled into each of them
/// (<c>&lt;Compile Include="..\Shared\**\*.cs" LinkBase="Shared" /&gt;</c>), so no project references another for it.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>UTF-8 without a byte-order mark, rejecting invalid bytes: what gensim and word2vec.c write and expect.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the content produced by <paramref name="write"/> to <paramref name="path"/> atomically.</summary>
    /// <remarks>If <paramref name="write"/> throws, the temporary file is deleted and the target is left untouched.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $"{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            // The original error is the one to report; a temporary file that cannot be removed is left behind.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes text atomically as <see cref="Utf8"/> with "\n" line ends, whatever the platform.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
}
