using System.Numerics;
using System.Runtime.InteropServices;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>One named tensor of a safetensors file: its element type, shape and raw little-endian bytes.</summary>
public sealed class SafetensorsTensor
{
    /// <summary>The tensor's key in the file (for modules, the PyTorch state_dict key).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The extent of each axis (empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The elements as little-endian bytes, row-major.</summary>
    public byte[] Bytes { get; }

    /// <summary>Creates a tensor; the byte count must equal shape × element size.</summary>
    public SafetensorsTensor(string name, SafetensorsDType dtype, int[] shape, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(bytes);
        long expected = NdArray<float>.ElementCount(shape) * ElementSize(dtype);
        if (expected != bytes.Length)
            throw new ArgumentException($"Tensor '{name}' of dtype {dtype} and shape {NdArray<float>.FormatShape(shape)} needs {expected} bytes, got {bytes.Length}.");
        Name = name;
        DType = dtype;
        Shape = (int[])shape.Clone();
        Bytes = bytes;
    }

    /// <summary>Number of elements.</summary>
    public long ElementCount => NdArray<float>.ElementCount(Shape);

    /// <summary>Bytes per element of a dtype.</summary>
    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Wraps a float array as F32 or a double array as F64 (the data is copied).</summary>
    public static SafetensorsTensor FromArray<T>(string name, NdArray<T> array) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(array);
        SafetensorsDType dtype = typeof(T) == typeof(float) ? SafetensorsDType.F32
            : typeof(T) == typeof(double) ? SafetensorsDType.F64
            : typeof(T) == typeof(Half) ? SafetensorsDType.F16
            : throw new NotSupportedException($"Tensor '{name}': element type {typeof(T).Name} has no safetensors dtype.");
        return new SafetensorsTensor(name, dtype, array.Shape, ToLittleEndian<T>(array.Data));
    }

    /// <summary>Wraps 64-bit integers (e.g. sequence lengths) as I64.</summary>
    public static SafetensorsTensor FromInt64(string name, long[] values, params int[] shape)
        => new(name, SafetensorsDType.I64, shape, ToLittleEndian<long>(values));

    /// <summary>Wraps 32-bit integers as I32.</summary>
    public static SafetensorsTensor FromInt32(string name, int[] values, params int[] shape)
        => new(name, SafetensorsDType.I32, shape, ToLittleEndian<int>(values));

    /// <summary>True for F16, BF16, F32 and F64.</summary>
    public bool IsFloatingPoint => DType is SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F32 or SafetensorsDType.F64;

    /// <summary>The elements converted to <typeparamref name="T"/>; only floating-point dtypes convert.</summary>
    /// <exception cref="SafetensorsException">The tensor holds integers.</exception>
    public NdArray<T> ToArray<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new T[checked((int)ElementCount)];
        switch (DType)
        {
            case SafetensorsDType.F32:
                {
                    ReadOnlySpan<float> source = FromLittleEndian<float>();
                    for (int i = 0; i < result.Length; i++) result[i] = T.CreateChecked(source[i]);
                    break;
                }
            case SafetensorsDType.F64:
                {
                    ReadOnlySpan<double> source = FromLittleEndian<double>();
                    for (int i = 0; i < result.Length; i++) result[i] = T.CreateChecked(source[i]);
                    break;
                }
            case SafetensorsDType.F16:
                {
                    ReadOnlySpan<Half> source = FromLittleEndian<Half>();
                    for (int i = 0; i < result.Length; i++) result[i] = T.CreateChecked((float)source[i]);
                    break;
                }
            case SafetensorsDType.BF16:
                {
                    ReadOnlySpan<ushort> source = FromLittleEndian<ushort>();
                    // bfloat16 is the high half of a binary32, so widening is a shift.
                    for (int i = 0; i < result.Length; i++) result[i] = T.CreateChecked(BitConverter.Int32BitsToSingle(source[i] << 16));
                    break;
                }
            default:
                throw new SafetensorsException(null, Name, $"holds {DType} integers, expected a floating-point tensor.");
        }
        return new NdArray<T>(result, Shape);
    }

    /// <summary>The elements as 64-bit integers; only integer and boolean dtypes convert.</summary>
    /// <exception cref="SafetensorsException">The tensor holds floating-point numbers.</exception>
    public long[] ToInt64()
    {
        var result = new long[checked((int)ElementCount)];
        switch (DType)
        {
            case SafetensorsDType.I64: FromLittleEndian<long>().CopyTo(result); break;
            case SafetensorsDType.I32: { var s = FromLittleEndian<int>(); for (int i = 0; i < result.Length; i++) result[i] = s[i]; break; }
            case SafetensorsDType.I16: { var s = FromLittleEndian<short>(); for (int i = 0; i < result.Length; i++) result[i] = s[i]; break; }
            case SafetensorsDType.I8: for (int i = 0; i < result.Length; i++) result[i] = (sbyte)Bytes[i]; break;
            case SafetensorsDType.U8:
            case SafetensorsDType.BOOL: for (int i = 0; i < result.Length; i++) result[i] = Bytes[i]; break;
            default:
                throw new SafetensorsException(null, Name, $"holds {DType} floating-point numbers, expected an integer tensor.");
        }
        return result;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {DType}{NdArray<float>.FormatShape(Shape)}";

    private ReadOnlySpan<TElement> FromLittleEndian<TElement>() where TElement : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O needs a little-endian machine.");
        return MemoryMarshal.Cast<byte, TElement>(Bytes);
    }

    private static byte[] ToLittleEndian<TElement>(TElement[] values) where TElement : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O needs a little-endian machine.");
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }
}
