using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using System.Text;
using Workbench.IO;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>
/// A safetensors file in memory: named tensors in file order plus the optional <c>__metadata__</c> strings.
/// Layout: an 8-byte little-endian header length n, n bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then the raw data
/// whose offsets are relative to the end of the header.
/// </summary>
/// <remarks>
/// Reading validates everything (sizes, JSON, dtypes, offsets that must tile the data exactly, shape × element size,
/// duplicate names) and throws a <see cref="SafetensorsException"/> naming the file, the tensor and the problem.
/// Saving is atomic: a reader never sees a partial file.
/// </remarks>
public sealed class SafetensorsFile
{
    /// <summary>The largest header accepted (100 MB): beyond it the length field is taken as corrupt.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string MetadataKey = "__metadata__";
    private readonly List<SafetensorsTensor> _tensors = [];
    private readonly Dictionary<string, SafetensorsTensor> _byName = new(StringComparer.Ordinal);

    /// <summary>The file this was read from, used in error messages (null when built in memory).</summary>
    public string? SourcePath { get; private set; }

    /// <summary>The <c>__metadata__</c> strings (arch, sizes, ...).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors => _tensors;

    /// <summary>The tensor names in file order.</summary>
    public IEnumerable<string> Names => _tensors.Select(t => t.Name);

    /// <summary>True when a tensor of that name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The tensor of that name, or false.</summary>
    public bool TryGet(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>The tensor of that name.</summary>
    /// <exception cref="SafetensorsException">No tensor has that name.</exception>
    public SafetensorsTensor this[string name]
        => _byName.TryGetValue(name, out var tensor) ? tensor
           : throw new SafetensorsException(SourcePath, name, "missing tensor.");

    /// <summary>Adds a tensor.</summary>
    /// <exception cref="ArgumentException">A tensor of that name already exists.</exception>
    public void Add(SafetensorsTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.");
        if (!_byName.TryAdd(tensor.Name, tensor)) throw new ArgumentException($"A tensor named '{tensor.Name}' is already in the file.");
        _tensors.Add(tensor);
    }

    /// <summary>Adds a float (F32) or double (F64) array under <paramref name="name"/>.</summary>
    public void Add<T>(string name, NdArray<T> array) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Add(SafetensorsTensor.FromArray(name, array));

    /// <summary>Reads a floating-point tensor converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="SafetensorsException">Missing or not floating-point.</exception>
    public NdArray<T> GetArray<T>(string name) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SafetensorsTensor tensor = this[name];
        if (!tensor.IsFloatingPoint)
            throw new SafetensorsException(SourcePath, name, $"holds {tensor.DType} integers, expected a floating-point tensor.");
        return tensor.ToArray<T>();
    }

    /// <summary>Reads a floating-point tensor and checks its shape.</summary>
    /// <exception cref="SafetensorsException">Missing, not floating-point, or of another shape (expected and actual are named).</exception>
    public NdArray<T> GetArray<T>(string name, params int[] expectedShape) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SafetensorsTensor tensor = this[name];
        if (!tensor.Shape.AsSpan().SequenceEqual(expectedShape))
            throw new SafetensorsException(SourcePath, name,
                $"has shape {NdArray<float>.FormatShape(tensor.Shape)}, expected {NdArray<float>.FormatShape(expectedShape)}.");
        return GetArray<T>(name);
    }

    /// <summary>Reads an integer tensor as 64-bit integers.</summary>
    /// <exception cref="SafetensorsException">Missing or floating-point.</exception>
    public long[] GetInt64(string name)
    {
        SafetensorsTensor tensor = this[name];
        if (tensor.IsFloatingPoint)
            throw new SafetensorsException(SourcePath, name, $"holds {tensor.DType} numbers, expected an integer tensor.");
        return tensor.ToInt64();
    }

    /// <summary>Reads and validates a safetensors file.</summary>
    /// <exception cref="SafetensorsException">The file is malformed (the message says how).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new SafetensorsException(path, null, $"truncated: the file has {fileLength} bytes but must start with an 8-byte header length.");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        CheckHeaderLength(path, headerLength, fileLength);
        if (fileLength > Array.MaxLength)
            throw new SafetensorsException(path, null, $"the file has {fileLength} bytes, more than this reader holds in memory.");
        var bytes = new byte[fileLength];
        prefix.CopyTo(bytes);
        stream.ReadExactly(bytes.AsSpan(8));
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates a safetensors file held in memory.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="sourceName">Used in error messages (e.g. the file path).</param>
    /// <exception cref="SafetensorsException">The content is malformed.</exception>
    public static SafetensorsFile Parse(ReadOnlySpan<byte> bytes, string? sourceName = null)
    {
        if (bytes.Length < 8)
            throw new SafetensorsException(sourceName, null, $"truncated: {bytes.Length} bytes but a safetensors file starts with an 8-byte header length.");
        ulong headerLengthRaw = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        CheckHeaderLength(sourceName, headerLengthRaw, bytes.Length);
        int headerLength = (int)headerLengthRaw;
        ReadOnlySpan<byte> header = bytes.Slice(8, headerLength);
        ReadOnlySpan<byte> data = bytes[(8 + headerLength)..];

        var file = new SafetensorsFile { SourcePath = sourceName };
        var entries = new List<(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)>();
        // The JSON reader only checks UTF-8 inside strings when they are read; check it all up front.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new SafetensorsException(sourceName, null, "the header is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new SafetensorsException(sourceName, null, $"the header is not valid JSON ({ex.Message}).", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsException(sourceName, null, $"the header must be a JSON object, found {document.RootElement.ValueKind}.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsException(sourceName, property.Name, "appears more than once in the header.");
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(sourceName, property.Value, file.Metadata);
                    continue;
                }
                entries.Add(ReadEntry(sourceName, property));
            }
        }

        // The data must be tiled exactly: sorted by start, each tensor begins where the previous ended.
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.End > data.Length)
                throw new SafetensorsException(sourceName, entry.Name,
                    $"data_offsets [{entry.Begin}, {entry.End}] go past the end of the {data.Length}-byte data section (truncated file?).");
            if (entry.Begin < position)
                throw new SafetensorsException(sourceName, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] overlap another tensor's bytes (which end at {position}).");
            if (entry.Begin > position)
                throw new SafetensorsException(sourceName, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] leave a gap: bytes {position}..{entry.Begin} belong to no tensor.");
            position = entry.End;
        }
        if (position != data.Length)
            throw new SafetensorsException(sourceName, null, $"the tensors cover {position} bytes but the data section holds {data.Length}: trailing bytes belong to no tensor.");

        foreach (var entry in entries)
        {
            byte[] payload = data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin)).ToArray();
            file.Add(new SafetensorsTensor(entry.Name, entry.DType, entry.Shape, payload));
        }
        return file;
    }

    /// <summary>Serializes to the safetensors byte layout (header padded with spaces to a multiple of 8 bytes).</summary>
    public byte[] ToBytes()
    {
        var headerBuffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerBuffer))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in Metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (SafetensorsTensor tensor in _tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (int extent in tensor.Shape) json.WriteNumberValue(extent);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Bytes.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Bytes.Length;
            }
            json.WriteEndObject();
        }
        int headerLength = (int)headerBuffer.Length;
        int padded = (headerLength + 7) / 8 * 8;
        long total = 8L + padded + _tensors.Sum(t => (long)t.Bytes.Length);
        if (total > Array.MaxLength) throw new InvalidOperationException($"The file would hold {total} bytes, more than one buffer can.");
        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        headerBuffer.GetBuffer().AsSpan(0, headerLength).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + headerLength, padded - headerLength).Fill((byte)' ');
        int position = 8 + padded;
        foreach (SafetensorsTensor tensor in _tensors)
        {
            tensor.Bytes.CopyTo(bytes, position);
            position += tensor.Bytes.Length;
        }
        return bytes;
    }

    /// <summary>Writes the file atomically (temporary file in the same folder, then rename).</summary>
    public void Save(string path)
    {
        byte[] bytes = ToBytes();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static void CheckHeaderLength(string? source, ulong headerLength, long fileLength)
    {
        if (headerLength > MaxHeaderBytes)
            throw new SafetensorsException(source, null, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte cap (corrupt length field?).");
        if (headerLength + 8 > (ulong)fileLength)
            throw new SafetensorsException(source, null, $"header length {headerLength} is larger than the file ({fileLength} bytes): truncated or corrupt.");
        if (headerLength < 2)
            throw new SafetensorsException(source, null, $"header length {headerLength} is too short for a JSON object.");
    }

    private static void ReadMetadata(string? source, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException(source, null, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsException(source, null, $"'{MetadataKey}' entry '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new SafetensorsException(source, null, $"'{MetadataKey}' entry '{item.Name}' appears more than once.");
        }
    }

    private static (string, SafetensorsDType, int[], long, long) ReadEntry(string? source, JsonProperty property)
    {
        string name = property.Name;
        if (name.Length == 0) throw new SafetensorsException(source, name, "a tensor name is empty.");
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException(source, name, $"the header entry must be an object, found {value.ValueKind}.");
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = field.Value; break;
                case "shape" when shapeElement is null: shapeElement = field.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = field.Value; break;
                case "dtype" or "shape" or "data_offsets":
                    throw new SafetensorsException(source, name, $"field '{field.Name}' appears more than once.");
                default:
                    throw new SafetensorsException(source, name, $"unknown field '{field.Name}' (expected dtype, shape, data_offsets).");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtypeJson)
            throw new SafetensorsException(source, name, "'dtype' is missing or not a string.");
        string dtypeText = dtypeJson.GetString()!;
        // Only the exact names: Enum.TryParse would also accept numbers and comma lists.
        if (!Enum.GetNames<SafetensorsDType>().Contains(dtypeText) || !Enum.TryParse(dtypeText, ignoreCase: false, out SafetensorsDType dtype))
            throw new SafetensorsException(source, name, $"unknown dtype '{dtypeText}' (supported: {string.Join(", ", Enum.GetNames<SafetensorsDType>())}).");
        if (shapeElement is not { ValueKind: JsonValueKind.Array } shapeJson)
            throw new SafetensorsException(source, name, "'shape' is missing or not an array.");
        var shape = new List<int>();
        foreach (JsonElement extent in shapeJson.EnumerateArray())
        {
            if (extent.ValueKind != JsonValueKind.Number || !extent.TryGetInt32(out int e) || e < 0)
                throw new SafetensorsException(source, name, $"shape entry {extent.GetRawText()} is not a non-negative integer.");
            shape.Add(e);
        }
        if (offsetsElement is not { ValueKind: JsonValueKind.Array } offsetsJson || offsetsJson.GetArrayLength() != 2)
            throw new SafetensorsException(source, name, "'data_offsets' is missing or not an array [begin, end].");
        long begin = ReadOffset(source, name, offsetsJson[0]);
        long end = ReadOffset(source, name, offsetsJson[1]);
        if (end < begin)
            throw new SafetensorsException(source, name, $"data_offsets [{begin}, {end}] end before they begin.");
        long count;
        try { count = checked(shape.Aggregate(1L, (acc, e) => acc * e)); }
        catch (OverflowException) { throw new SafetensorsException(source, name, "the shape's element count overflows."); }
        // Checked: 2^62 elements of 4 bytes would wrap to 0 and pass as an empty tensor.
        long expectedBytes;
        try { expectedBytes = checked(count * SafetensorsTensor.ElementSize(dtype)); }
        catch (OverflowException) { throw new SafetensorsException(source, name, $"shape {NdArray<float>.FormatShape(shape.ToArray())} of {dtype} needs more bytes than a file can hold."); }
        if (expectedBytes != end - begin)
            throw new SafetensorsException(source, name,
                $"shape {NdArray<float>.FormatShape(shape.ToArray())} of {dtype} needs {expectedBytes} bytes but data_offsets [{begin}, {end}] hold {end - begin}.");
        return (name, dtype, shape.ToArray(), begin, end);
    }

    private static long ReadOffset(string? source, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long offset) || offset < 0)
            throw new SafetensorsException(source, name, $"data offset {element.GetRawText()} is not a non-negative integer.");
        return offset;
    }
}
