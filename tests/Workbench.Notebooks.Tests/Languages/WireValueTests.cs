using System.Text.Json.Nodes;
using Workbench.Notebooks.Languages;
using Workbench.Notebooks.Languages.Jupyter;

namespace Workbench.Notebooks.Tests.Languages;

public sealed class WireValueTests
{
    [Fact]
    public void WholeNumbersStayIntegersAndNonFiniteScalarsAreTagged()
    {
        var back = (Dictionary<string, object?>)WireValue.FromEnvelope(JsonNode.Parse("""{"big": 1099511627776, "x": 2.5, "nan": {"$float": "nan"}, "l": [1, "a", null]}"""))!;
        Assert.IsType<long>(back["big"]);
        Assert.Equal(1099511627776L, back["big"]);
        Assert.Equal(2.5, back["x"]);
        Assert.True(double.IsNaN((double)back["nan"]!));
        Assert.Equal(new object?[] { 1L, "a", null }, (object?[])back["l"]!);
        Assert.Equal("""{"$float":"-inf"}""", WireValue.ToEnvelope(float.NegativeInfinity)!.ToJsonString());
        Assert.Equal("-0", WireValue.ToEnvelope(-0.0)!.ToJsonString());
    }

    [Fact]
    public void ArraysCrossAsLittleEndianBytesWithShapeAndDtype()
    {
        var m = new float[,] { { 1, 2 }, { 3, BitConverter.UInt32BitsToSingle(0x7FC00001) } };
        var envelope = WireValue.ToEnvelope(m)!;
        Assert.Equal("float32", (string?)envelope["$ndarray"]!["dtype"]);
        Assert.Equal("[2,2]", envelope["$ndarray"]!["shape"]!.ToJsonString());
        var back = Assert.IsType<float[,]>(WireValue.FromEnvelope(JsonNode.Parse(envelope.ToJsonString())));
        Assert.Equal(0x7FC00001u, BitConverter.SingleToUInt32Bits(back[1, 1]));
        Assert.Equal(3f, back[1, 0]);
        var scalar = WireValue.FromEnvelope(JsonNode.Parse("""{"$ndarray": {"dtype": "int64", "shape": [], "data": "BwAAAAAAAAA="}}"""));
        Assert.Equal(7L, scalar);
        var e = Assert.Throws<ValueSharingException>(() => WireValue.FromEnvelope(JsonNode.Parse("""{"$ndarray": {"dtype": "float32", "shape": [3], "data": "AAAAAA=="}}""")));
        Assert.Contains("needs 12 bytes, got 4", e.Message);
    }

    [Fact]
    public void NdArrayShapedObjectsAreRecognizedByShapeAndData()
    {
        var envelope = WireValue.ToEnvelope(new FakeNdArray())!;
        Assert.Equal("[2,1]", envelope["$ndarray"]!["shape"]!.ToJsonString());
        Assert.Equal("float64", (string?)envelope["$ndarray"]!["dtype"]);
        Assert.Equal(new[] { 1.5, -2.0 }, ((double[,])WireValue.FromEnvelope(envelope)!).Cast<double>());
    }

    private sealed class FakeNdArray
    {
        public int[] Shape { get; } = { 2, 1 };

        public double[] Data { get; } = { 1.5, -2.0 };
    }
}
