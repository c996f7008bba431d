using System.Buffers.Binary;
using System.Text;
using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.IO;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Checkpoints;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-st-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Build(string json, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static SafetensorsException Fails(byte[] bytes) => Assert.Throws<SafetensorsException>(() => SafetensorsFile.Parse(bytes, "bad.safetensors"));

    [Fact]
    public void ByteSizeThatWrapsToZeroIsRefused()
    {
        // 2^62 float32 elements are 2^64 bytes, which wraps to 0 in 64-bit arithmetic: it must not pass as empty.
        var error = Fails(Build("""{"t":{"dtype":"F32","shape":[65536,65536,65536,16384],"data_offsets":[0,0]}}""", []));
        Assert.Contains("'t'", error.Message);
        Assert.Contains("more bytes than a file can hold", error.Message);
    }

    [Fact]
    public void RoundTripsEveryWritableDtypeAndMetadata()
    {
        var file = new SafetensorsFile();
        file.Metadata["arch"] = "lstm";
        file.Metadata["note"] = "ünïcode ✓";
        file.Add("a", new NdArray<float>([1.5f, -2f, float.NaN, float.PositiveInfinity, 0f, 3e-38f], 2, 3));
        file.Add("b", new NdArray<double>([Math.PI, -1e300], 2));
        file.Add(SafetensorsTensor.FromInt64("lengths", [5, 1, long.MaxValue], 3));
        file.Add(SafetensorsTensor.FromInt32("ids", [-7, 9], 1, 2));
        file.Add("scalar", new NdArray<double>([42.0]));
        file.Add("empty", NdArray<float>.Zeros(0, 4));
        string path = Path.Combine(_folder, "x.safetensors");
        file.Save(path);

        byte[] raw = File.ReadAllBytes(path);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(raw) % 8);
        var back = SafetensorsFile.Load(path);
        Assert.Equal(["a", "b", "lengths", "ids", "scalar", "empty"], back.Names);
        Assert.Equal("lstm", back.Metadata["arch"]);
        Assert.Equal("ünïcode ✓", back.Metadata["note"]);
        Assert.Equal(SafetensorsDType.F32, back["a"].DType);
        Assert.Equal(file.GetArray<float>("a").Data, back.GetArray<float>("a", 2, 3).Data);
        Assert.Equal([Math.PI, -1e300], back.GetArray<double>("b").Data);
        Assert.Equal([5L, 1L, long.MaxValue], back.GetInt64("lengths"));
        Assert.Equal([-7L, 9L], back.GetInt64("ids"));
        Assert.Empty(back["scalar"].Shape);
        Assert.Equal([0, 4], back["empty"].Shape);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void ReadsTorchWrittenFixtureWithMetadata()
    {
        var file = PyTorchFixtures.Load("model_lstm.safetensors");
        Assert.Equal("lstm", file.Metadata["arch"]);
        Assert.Equal(SafetensorsDType.F32, file["weight_ih_l0"].DType);
        Assert.Equal([12, 2], file["weight_ih_l0"].Shape);
        Assert.Equal([12], file["bias_hh_l1_reverse"].Shape);
    }

    [Fact]
    public void ReadsHalfAndBFloat16()
    {
        // 1.0 and -2.5 in binary16 (0x3C00, 0xC100) and bfloat16 (0x3F80, 0xC020).
        var bytes = Build("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""",
            [0x00, 0x3C, 0x00, 0xC1, 0x80, 0x3F, 0x20, 0xC0]);
        var file = SafetensorsFile.Parse(bytes);
        Assert.Equal([1.0f, -2.5f], file.GetArray<float>("h").Data);
        Assert.Equal([1.0, -2.5], file.GetArray<double>("b").Data);
    }

    [Fact]
    public void TruncatedPrefixIsNamed()
    {
        var ex = Fails([1, 2, 3]);
        Assert.Contains("bad.safetensors", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void HeaderLongerThanFileIsRejected()
    {
        byte[] bytes = Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 5000);
        Assert.Contains("larger than the file", Fails(bytes).Message);
    }

    [Fact]
    public void OversizedHeaderLengthIsRejectedBeforeReading()
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue - 3);
        Assert.Contains("cap", Fails(bytes).Message);
        string path = Path.Combine(_folder, "huge.safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Load(path));
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void MalformedJsonIsRejected()
        => Assert.Contains("not valid JSON", Fails(Build("""{"a":{"dtype":"F32",""", [])).Message);

    [Fact]
    public void HeaderMustBeAnObject()
        => Assert.Contains("JSON object", Fails(Build("[1,2,3]", [])).Message);

    [Fact]
    public void UnknownDtypeNamesTensorAndDtype()
    {
        var ex = Fails(Build("""{"w":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}""", [0]));
        Assert.Equal("w", ex.TensorName);
        Assert.Contains("'F8'", ex.Message);
        Assert.Contains("'w'", ex.Message);
        // Enum parsing would accept numbers; the format does not.
        Assert.Contains("unknown dtype", Fails(Build("""{"w":{"dtype":"0","shape":[1],"data_offsets":[0,4]}}""", new byte[4])).Message);
    }

    [Fact]
    public void OffsetsPastEndAreRejected()
    {
        var ex = Fails(Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[4]));
        Assert.Equal("w", ex.TensorName);
        Assert.Contains("past the end", ex.Message);
    }

    [Fact]
    public void OverlappingOffsetsAreRejected()
    {
        var ex = Fails(Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]));
        Assert.Contains("overlap", ex.Message);
    }

    [Fact]
    public void GapsAndTrailingBytesAreRejected()
    {
        Assert.Contains("gap", Fails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8])).Message);
        Assert.Contains("trailing", Fails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[8])).Message);
    }

    [Fact]
    public void ShapeTimesDtypeMustMatchByteLength()
    {
        var ex = Fails(Build("""{"a":{"dtype":"F64","shape":[2,3],"data_offsets":[0,24]}}""", new byte[24]));
        Assert.Equal("a", ex.TensorName);
        Assert.Contains("needs 48 bytes", ex.Message);
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var ex = Fails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]));
        Assert.Equal("a", ex.TensorName);
        Assert.Contains("more than once", ex.Message);
    }

    [Fact]
    public void BadShapesOffsetsAndMetadataAreRejected()
    {
        Assert.Contains("non-negative", Fails(Build("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", [])).Message);
        Assert.Contains("data_offsets", Fails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", new byte[4])).Message);
        Assert.Contains("end before", Fails(Build("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", new byte[4])).Message);
        Assert.Contains("must be a string", Fails(Build("""{"__metadata__":{"k":3}}""", [])).Message);
        Assert.Contains("unknown field", Fails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}""", new byte[4])).Message);
    }

    [Fact]
    public void MissingTensorAndWrongShapeAreNamed()
    {
        var file = new SafetensorsFile();
        file.Add("w", NdArray<float>.Zeros(2, 3));
        var missing = Assert.Throws<SafetensorsException>(() => file["v"]);
        Assert.Equal("v", missing.TensorName);
        var shape = Assert.Throws<SafetensorsException>(() => file.GetArray<float>("w", 3, 2));
        Assert.Contains("(2, 3)", shape.Message);
        Assert.Contains("(3, 2)", shape.Message);
        Assert.Throws<SafetensorsException>(() => file.GetInt64("w"));
    }

    [Fact]
    public void FailedSaveLeavesNoFileAndKeepsThePreviousOne()
    {
        string path = Path.Combine(_folder, "keep.safetensors");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void EveryTruncationAndHeaderCorruptionIsASafetensorsException()
    {
        byte[] valid = File.ReadAllBytes(PyTorchFixtures.PathOf("model_gru_uni.safetensors"));
        SafetensorsFile.Parse(valid);
        for (int length = 0; length < valid.Length; length++)
            Assert.Throws<SafetensorsException>(() => SafetensorsFile.Parse(valid.AsSpan(0, length)));

        // Random byte changes in the length field and header either still parse or fail with a SafetensorsException.
        var random = new Random(17);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] corrupt = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) corrupt[random.Next(headerEnd)] = (byte)random.Next(256);
            try { SafetensorsFile.Parse(corrupt); }
            catch (SafetensorsException) { }
        }
    }
}
