using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Workbench.IO;
using Workbench.Text;

namespace Workbench.Embeddings;

/// <summary>Readers and writers for GloVe text, word2vec text and word2vec binary (gensim 4.2 compatible).</summary>
internal static class WordVectorsFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Reads "\n"-terminated lines as bytes (a final "\r" is dropped), tracking line numbers and offsets.</summary>
    private sealed class ByteLineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _pos, _len;
        private byte[] _line = new byte[256];
        public long Offset { get; private set; }
        public long LineStartOffset { get; private set; }
        public long LineNumber { get; private set; }

        public bool TryRead(out ReadOnlySpan<byte> line)
        {
            int count = 0;
            bool any = false;
            LineStartOffset = Offset;
            while (true)
            {
                if (_pos == _len)
                {
                    _len = stream.Read(_buffer, 0, _buffer.Length);
                    _pos = 0;
                    if (_len == 0) break;
                }
                any = true;
                int newline = Array.IndexOf(_buffer, (byte)'\n', _pos, _len - _pos);
                int end = newline < 0 ? _len : newline;
                int take = end - _pos;
                if (count + take > _line.Length) Array.Resize(ref _line, Math.Max(_line.Length * 2, count + take));
                Buffer.BlockCopy(_buffer, _pos, _line, count, take);
                count += take;
                Offset += take;
                _pos = end;
                if (newline >= 0) { _pos++; Offset++; break; }
            }
            if (!any) { line = default; return false; }
            LineNumber++;
            if (count > 0 && _line[count - 1] == (byte)'\r') count--;
            line = _line.AsSpan(0, count);
            return true;
        }
    }

    public static WordVectors ReadAuto(string path)
    {
        using (var stream = File.OpenRead(path))
        {
            var reader = new ByteLineReader(stream);
            if (!reader.TryRead(out var first)) throw new WordVectorsFormatException(path, 1, null, "the file is empty.");
            string[] parts = DecodeLine(path, first, 1, reader.LineStartOffset).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool header = parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int dim);
            if (!header) return ReadText(path, hasHeader: false);
            // A header: binary when the first record is followed by raw floats rather than text digits.
            if (reader.TryRead(out var second))
            {
                try { StrictUtf8.GetString(second); }
                catch (DecoderFallbackException) { return ReadBinary(path); }
                foreach (byte b in second) if (b < 0x09 || (b > 0x0d && b < 0x20)) return ReadBinary(path);
            }
        }
        return ReadText(path, hasHeader: true);
    }

    private static string DecodeLine(string path, ReadOnlySpan<byte> bytes, long line, long offset)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException e)
        {
            throw new WordVectorsFormatException(path, line, offset + (e.Index >= 0 ? e.Index : 0), "invalid UTF-8.", e);
        }
    }

    private static (int Count, int Dim) ParseHeader(string path, string header)
    {
        string[] parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int dim) || dim < 1)
            throw new WordVectorsFormatException(path, 1, 0, $"expected a word2vec header 'count dimension', found '{Shorten(header)}'.");
        return (count, dim);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    public static WordVectors ReadText(string path, bool hasHeader)
    {
        using var stream = File.OpenRead(path);
        var reader = new ByteLineReader(stream);
        int expected = -1, dim = -1;
        if (hasHeader)
        {
            if (!reader.TryRead(out var headerBytes)) throw new WordVectorsFormatException(path, 1, null, "the file is empty (a word2vec header was expected).");
            (expected, dim) = ParseHeader(path, DecodeLine(path, headerBytes, 1, 0));
            // Each record takes at least "w" plus " v" per value (1 + 2·dim bytes): a header announcing more than the
            // file can hold is corrupt, and must not size the buffers.
            if ((long)expected * (1 + 2L * dim) > stream.Length)
                throw new WordVectorsFormatException(path, 1, 0, $"the header announces {expected} words of {dim} values, more than the file's {stream.Length} bytes can hold.");
        }
        var words = new List<string>(expected > 0 ? expected : 1024);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var data = new List<float>(expected > 0 ? expected * dim : 1 << 16);
        int records = 0;
        while (reader.TryRead(out var bytes))
        {
            long lineNo = reader.LineNumber;
            if (hasHeader && records >= expected)
            {
                if (bytes.Trim((byte)' ').Length == 0) continue;
                throw new WordVectorsFormatException(path, lineNo, reader.LineStartOffset, $"the header announces {expected} words, but more lines follow.");
            }
            string line = DecodeLine(path, bytes, lineNo, reader.LineStartOffset).TrimEnd();
            if (line.Length == 0)
            {
                if (!hasHeader) continue; // GloVe: tolerate blank lines (e.g. at the end)
                throw new WordVectorsFormatException(path, lineNo, reader.LineStartOffset, "empty line where 'word v1 … vd' was expected.");
            }
            string[] parts = line.Split(' ');
            if (dim < 0) dim = parts.Length - 1;
            if (dim < 1) throw new WordVectorsFormatException(path, lineNo, reader.LineStartOffset, $"the line '{Shorten(line)}' holds a word but no numbers.");
            if (parts.Length - 1 != dim)
                throw new WordVectorsFormatException(path, lineNo, reader.LineStartOffset,
                    $"'{Shorten(parts[0])}' has {parts.Length - 1} values, expected {dim} ({(hasHeader ? "from the header" : "from line 1")}).");
            records++;
            int at = data.Count;
            for (int k = 1; k <= dim; k++)
            {
                if (!float.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    throw new WordVectorsFormatException(path, lineNo, reader.LineStartOffset, $"value {k} of '{Shorten(parts[0])}' is not a finite number: '{Shorten(parts[k])}'.");
                data.Add(value);
            }
            if (!seen.Add(parts[0]))
            {
                data.RemoveRange(at, dim); // gensim keeps the first of duplicate words
                continue;
            }
            words.Add(parts[0]);
        }
        if (hasHeader && records < expected)
            throw new WordVectorsFormatException(path, reader.LineNumber + 1, reader.Offset, $"the header announces {expected} words, but the file ends after {records}.");
        if (words.Count == 0) throw new WordVectorsFormatException(path, null, null, "the file holds no vectors.");
        return new WordVectors(words, data.ToArray(), dim);
    }

    public static WordVectors ReadBinary(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0) throw new WordVectorsFormatException(path, null, 0, "no header line 'count dimension' ending in a newline.");
        string header;
        try { header = StrictUtf8.GetString(bytes, 0, newline); }
        catch (DecoderFallbackException e) { throw new WordVectorsFormatException(path, null, 0, "the header is not text.", e); }
        var (count, dim) = ParseHeader(path, header.TrimEnd('\r'));
        int pos = newline + 1;
        // Each record takes at least one byte of word, a space and 4·dim bytes of vector: a header announcing more than
        // the file holds is corrupt, and must not size the buffers.
        if ((long)count * (2 + 4L * dim) > bytes.Length - pos)
            throw new WordVectorsFormatException(path, null, 0, $"the header announces {count} words of {dim} values, more than the file's {bytes.Length} bytes can hold.");
        var words = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var data = new float[(long)count * dim];
        int row = 0;
        for (int n = 0; n < count; n++)
        {
            while (pos < bytes.Length && bytes[pos] == (byte)'\n') pos++; // word2vec.c writes a newline after each vector
            int space = Array.IndexOf(bytes, (byte)' ', pos);
            if (space < 0)
                throw new WordVectorsFormatException(path, null, pos, $"truncated: the header announces {count} words, but word {n + 1} has no terminating space.");
            string word;
            try { word = StrictUtf8.GetString(bytes, pos, space - pos); }
            catch (DecoderFallbackException e) { throw new WordVectorsFormatException(path, null, pos, $"word {n + 1} is not valid UTF-8.", e); }
            int vectorStart = space + 1;
            if ((long)bytes.Length - vectorStart < 4L * dim)
                throw new WordVectorsFormatException(path, null, vectorStart,
                    $"truncated: word {n + 1} ('{Shorten(word)}') needs {4 * dim} bytes of vector, only {bytes.Length - vectorStart} remain (header: {count} words × {dim}).");
            if (seen.Add(word))
            {
                for (int k = 0; k < dim; k++)
                {
                    float value = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(vectorStart + 4 * k, 4));
                    if (!float.IsFinite(value))
                        throw new WordVectorsFormatException(path, null, vectorStart + 4 * k, $"value {k + 1} of '{Shorten(word)}' is {value}, not a finite number.");
                    data[(long)row * dim + k] = value;
                }
                words.Add(word);
                row++;
            }
            pos = vectorStart + 4 * dim;
        }
        while (pos < bytes.Length && (bytes[pos] == (byte)'\n' || bytes[pos] == (byte)'\r')) pos++;
        if (pos < bytes.Length)
            throw new WordVectorsFormatException(path, null, pos, $"the header announces {count} words, but {bytes.Length - pos} more bytes follow.");
        if (row != count) Array.Resize(ref data, row * dim);
        return new WordVectors(words, data, dim);
    }

    private static void CheckWordsWritable(WordVectors vectors)
    {
        foreach (string word in vectors.Words)
        {
            if (word.Length == 0 || word.Any(c => c == ' ' || c == '\n' || c == '\r' || c == '\t'))
                throw new InvalidOperationException($"The word '{word}' is empty or contains whitespace: it cannot be written in word2vec/GloVe format.");
        }
    }

    public static void WriteText(WordVectors vectors, string path, bool header)
    {
        CheckWordsWritable(vectors);
        AtomicFile.WriteText(path, writer =>
        {
            if (header) writer.Write($"{vectors.Count} {vectors.Dimension}\n");
            var line = new StringBuilder();
            for (int i = 0; i < vectors.Count; i++)
            {
                line.Clear().Append(vectors.Words[i]);
                foreach (float v in vectors.RawRow(i)) line.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));
                line.Append('\n');
                writer.Write(line);
            }
        });
    }

    public static void WriteBinary(WordVectors vectors, string path)
    {
        CheckWordsWritable(vectors);
        AtomicFile.Write(path, stream =>
        {
            var buffered = new BufferedStream(stream, 1 << 16); // not disposed: that would close the stream before AtomicFile flushes it
            buffered.Write(Encoding.ASCII.GetBytes($"{vectors.Count} {vectors.Dimension}\n"));
            var floats = new byte[4 * vectors.Dimension];
            for (int i = 0; i < vectors.Count; i++)
            {
                buffered.Write(StrictUtf8.GetBytes(vectors.Words[i] + " "));
                var row = vectors.RawRow(i);
                for (int k = 0; k < row.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(4 * k), row[k]);
                buffered.Write(floats);
            }
            buffered.Flush();
        });
    }
}
