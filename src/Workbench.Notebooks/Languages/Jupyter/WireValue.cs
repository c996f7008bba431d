using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Data.Analysis;

namespace Workbench.Notebooks.Languages.Jupyter;

/// <summary>
/// The envelope values cross to and from a Jupyter kernel in: plain JSON for numbers, strings, booleans, lists and
/// dictionaries, plus three tagged objects. <c>{"$ndarray": {"dtype", "shape", "data"}}</c> carries a dense array
/// (numpy dtype name, row-major shape, base64 of the little-endian element bytes, so float32/float64 cross bit-exact,
/// NaN payloads included); <c>{"$float": "nan"|"inf"|"-inf"}</c> a non-finite scalar; <c>{"$dataframe": {"columns":
/// [{"name", "data"}]}}</c> a data frame. Arrays come from .NET arrays (1-D and rectangular), MathNet vectors and
/// matrices, and any object shaped like the core's NdArray: a public <c>int[] Shape</c> and a public flat row-major
/// <c>T[] Data</c> (or a <c>T[] ToArray()</c> method).
/// </summary>
public static class WireValue
{
    private static readonly (Type Type, string DType)[] DTypes =
    {
        (typeof(float), "float32"), (typeof(double), "float64"), (typeof(sbyte), "int8"), (typeof(short), "int16"),
        (typeof(int), "int32"), (typeof(long), "int64"), (typeof(byte), "uint8"), (typeof(bool), "bool"),
    };

    /// <summary>The envelope of a .NET value.</summary>
    /// <exception cref="ValueSharingException">The value (or a part of it) cannot cross; the message says why.</exception>
    public static JsonNode? ToEnvelope(object? value) => Encode(value, 0);

    /// <summary>The .NET value of an envelope: arrays become T[] / T[,] / … of their dtype.</summary>
    public static object? FromEnvelope(JsonNode? node) => node switch
    {
        null => null,
        JsonArray list => list.Select(FromEnvelope).ToArray(),
        JsonObject obj when obj.Count == 1 && obj["$ndarray"] is JsonObject a => ArrayFrom(a),
        JsonObject obj when obj.Count == 1 && obj["$float"] is JsonValue f => (string?)f switch
        {
            "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity,
            var s => throw new ValueSharingException($"unknown $float value '{s}'"),
        },
        JsonObject obj when obj.Count == 1 && obj["$dataframe"] is JsonObject d => DataFrameFrom(d),
        JsonObject obj => obj.ToDictionary(p => p.Key, p => FromEnvelope(p.Value)),
        JsonValue v => ValueConversion.FromElement(v.GetValue<JsonElement>()),
        _ => throw new ValueSharingException($"unsupported JSON node {node.GetType().Name}"),
    };

    private static JsonNode? Encode(object? value, int depth)
    {
        if (depth > 64) throw new ValueSharingException("the value nests deeper than 64 levels (a cycle?)");
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case char c: return JsonValue.Create(c.ToString());
            case double d: return double.IsFinite(d) ? JsonValue.Create(d) : NonFinite(d);
            case float f: return float.IsFinite(f) ? JsonValue.Create((double)f) : NonFinite(f);
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                return JsonValue.Create(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
            case decimal m: return JsonValue.Create(m);
            case Array array when DType(array.GetType().GetElementType()!) is not null: return ArrayEnvelope(array, Shape(array));
            case Vector<double> v: return ArrayEnvelope(v.ToArray(), new[] { v.Count });
            case Vector<float> v: return ArrayEnvelope(v.ToArray(), new[] { v.Count });
            case Matrix<double> m: return ArrayEnvelope(m.ToRowMajorArray(), new[] { m.RowCount, m.ColumnCount });
            case Matrix<float> m: return ArrayEnvelope(m.ToRowMajorArray(), new[] { m.RowCount, m.ColumnCount });
            case DataFrame frame: return DataFrameEnvelope(frame, depth);
            case JsonNode node: return node.DeepClone();
        }
        if (NdArrayParts(value) is { } nd) return ArrayEnvelope(nd.Data, nd.Shape);
        if (value is IDictionary dict)
        {
            var obj = new JsonObject();
            foreach (DictionaryEntry e in dict)
            {
                if (e.Key is not string key) throw new ValueSharingException($"a dictionary key of type {e.Key.GetType().Name} cannot cross (keys must be strings)");
                obj[key] = Encode(e.Value, depth + 1);
            }
            return obj;
        }
        if (value is IEnumerable items)
        {
            var list = new JsonArray();
            foreach (var item in items) list.Add(Encode(item, depth + 1));
            return list;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
            throw new ValueSharingException($"a {type.Name} has no JSON form");
        // Records and plain objects cross as their public properties, as System.Text.Json writes them.
        return JsonNode.Parse(ValueConversion.ToJson(value));
    }

    private static JsonObject NonFinite(double d) => new() { ["$float"] = double.IsNaN(d) ? "nan" : d > 0 ? "inf" : "-inf" };

    private static string? DType(Type element) => DTypes.FirstOrDefault(t => t.Type == element).DType;

    private static int[] Shape(Array array) => Enumerable.Range(0, array.Rank).Select(array.GetLength).ToArray();

    private static JsonObject ArrayEnvelope(Array flatOrRectangular, int[] shape)
    {
        var element = flatOrRectangular.GetType().GetElementType()!;
        var dtype = DType(element) ?? throw new ValueSharingException($"arrays of {element.Name} cannot cross (float, double, sbyte, short, int, long, byte, bool)");
        long count = 1;
        foreach (var n in shape) count *= n;
        if (count != flatOrRectangular.Length)
            throw new ValueSharingException($"the shape [{string.Join(", ", shape)}] holds {count} elements but the data has {flatOrRectangular.Length}");
        return new JsonObject
        {
            ["$ndarray"] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(shape.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
                ["data"] = Convert.ToBase64String(LittleEndianBytes(flatOrRectangular, element)),
            },
        };
    }

    private static byte[] LittleEndianBytes(Array array, Type element)
    {
        var size = Marshal.SizeOf(element == typeof(bool) ? typeof(byte) : element);
        var bytes = new byte[(long)array.Length * size];
        // Any rank: the elements of a .NET array lie contiguous in row-major order.
        var source = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), bytes.Length);
        source.CopyTo(bytes);
        if (!BitConverter.IsLittleEndian && size > 1)
            for (var i = 0; i < bytes.Length; i += size) bytes.AsSpan(i, size).Reverse();
        return bytes;
    }

    private static object ArrayFrom(JsonObject a)
    {
        var dtype = (string?)a["dtype"] ?? throw new ValueSharingException("$ndarray without dtype");
        var element = DTypes.FirstOrDefault(t => t.DType == dtype).Type
            ?? throw new ValueSharingException($"numpy dtype {dtype} has no .NET element type here");
        var shape = (a["shape"] as JsonArray ?? throw new ValueSharingException("$ndarray without shape")).Select(n => (int)n!).ToArray();
        var bytes = Convert.FromBase64String((string?)a["data"] ?? "");
        var size = Marshal.SizeOf(element == typeof(bool) ? typeof(byte) : element);
        long count = 1;
        foreach (var n in shape) count *= n;
        if (bytes.Length != count * size)
            throw new ValueSharingException($"$ndarray of shape [{string.Join(", ", shape)}] {dtype} needs {count * size} bytes, got {bytes.Length}");
        if (!BitConverter.IsLittleEndian && size > 1)
            for (var i = 0; i < bytes.Length; i += size) bytes.AsSpan(i, size).Reverse();
        // A 0-d array is a scalar of its dtype.
        var array = shape.Length == 0 ? Array.CreateInstance(element, 1) : Array.CreateInstance(element, shape);
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), bytes.Length));
        return shape.Length == 0 ? array.GetValue(0)! : array;
    }

    private static JsonObject DataFrameEnvelope(DataFrame frame, int depth)
    {
        var columns = new JsonArray();
        foreach (var column in frame.Columns)
        {
            JsonNode? data;
            var element = column.DataType;
            if (DType(element) is not null && column.NullCount == 0)
            {
                var values = Array.CreateInstance(element, column.Length);
                for (long i = 0; i < column.Length; i++) values.SetValue(column[i], i);
                data = ArrayEnvelope(values, new[] { (int)column.Length });
            }
            else
            {
                var list = new JsonArray();
                for (long i = 0; i < column.Length; i++) list.Add(Encode(column[i], depth + 1));
                data = list;
            }
            columns.Add(new JsonObject { ["name"] = column.Name, ["data"] = data });
        }
        return new JsonObject { ["$dataframe"] = new JsonObject { ["columns"] = columns } };
    }

    private static DataFrame DataFrameFrom(JsonObject d)
    {
        var frame = new DataFrame();
        foreach (var c in (d["columns"] as JsonArray) ?? new JsonArray())
        {
            var name = (string?)c!["name"] ?? "";
            var data = FromEnvelope(c["data"]);
            DataFrameColumn column = data switch
            {
                double[] x => new DoubleDataFrameColumn(name, x),
                float[] x => new SingleDataFrameColumn(name, x),
                int[] x => new Int32DataFrameColumn(name, x),
                long[] x => new Int64DataFrameColumn(name, x),
                bool[] x => new BooleanDataFrameColumn(name, x),
                object?[] x when x.All(v => v is string or null) => new StringDataFrameColumn(name, x.Cast<string?>()),
                object?[] x when x.All(v => v is long or null) => new Int64DataFrameColumn(name, x.Cast<long?>()),
                object?[] x when x.All(v => v is double or long or null) => new DoubleDataFrameColumn(name, x.Select(v => v is null ? (double?)null : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))),
                _ => throw new ValueSharingException($"data frame column '{name}' of {data?.GetType().Name ?? "null"} cannot become a .NET column"),
            };
            frame.Columns.Add(column);
        }
        return frame;
    }

    /// <summary>The shape and flat data of an NdArray-shaped object: public int[] Shape and T[] Data (or T[] ToArray()).</summary>
    internal static (Array Data, int[] Shape)? NdArrayParts(object value)
    {
        var type = value.GetType();
        if (type.GetProperty("Shape", BindingFlags.Public | BindingFlags.Instance)?.GetValue(value) is not int[] shape) return null;
        var data = type.GetProperty("Data", BindingFlags.Public | BindingFlags.Instance)?.GetValue(value) as Array
            ?? type.GetMethod("ToArray", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)?.Invoke(value, null) as Array;
        if (data is null || data.Rank != 1 || DType(data.GetType().GetElementType()!) is null) return null;
        return (data, (int[])shape.Clone());
    }
}
