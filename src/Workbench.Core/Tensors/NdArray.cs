using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Tensors;

/// <summary>
/// A dense, row-major, contiguous n-dimensional array: the data every layer reads and writes.
/// Shapes follow PyTorch's conventions (a sequence batch is (T, B, features), as with batch_first=False).
/// </summary>
/// <remarks>Not named Tensor so that it never collides with System.Numerics.Tensors.Tensor&lt;T&gt;.</remarks>
public sealed class NdArray<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The extent of each axis.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in row-major order; its length is the product of <see cref="Shape"/>.</summary>
    public T[] Data { get; }

    /// <summary>Wraps <paramref name="data"/> (not copied) with <paramref name="shape"/>.</summary>
    public NdArray(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"Shape {FormatShape(shape)} holds {count} elements but the data has {data.Length}.", nameof(data));
        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>A zero-filled array of the given shape.</summary>
    public static NdArray<T> Zeros(params int[] shape) => new(new T[checked((int)ElementCount(shape))], shape);

    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The element at the given multi-index.</summary>
    public T this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>The flat row-major offset of a multi-index, with bounds checked per axis.</summary>
    public int Offset(params int[] index)
    {
        if (index.Length != Shape.Length)
            throw new ArgumentException($"An index of rank {index.Length} was used on an array of shape {FormatShape(Shape)}.");
        int offset = 0;
        for (int axis = 0; axis < Shape.Length; axis++)
        {
            if ((uint)index[axis] >= (uint)Shape[axis])
                throw new IndexOutOfRangeException($"Index {index[axis]} on axis {axis} is outside shape {FormatShape(Shape)}.");
            offset = offset * Shape[axis] + index[axis];
        }
        return offset;
    }

    /// <summary>The same data seen with another shape of equal element count (no copy).</summary>
    public NdArray<T> Reshape(params int[] shape) => new(Data, shape);

    /// <summary>A deep copy.</summary>
    public NdArray<T> Clone() => new((T[])Data.Clone(), Shape);

    /// <summary>Converts every element to another floating-point type (float ↔ double).</summary>
    public NdArray<TOther> Cast<TOther>() where TOther : unmanaged, IBinaryFloatingPointIeee754<TOther>
    {
        var result = new TOther[Data.Length];
        for (int i = 0; i < result.Length; i++) result[i] = TOther.CreateChecked(Data[i]);
        return new NdArray<TOther>(result, Shape);
    }

    /// <summary>
    /// The sub-array at <paramref name="index"/> along <paramref name="axis"/>, with that axis removed (a copy), as
    /// PyTorch's <c>x.select(axis, index)</c>: <c>x.Select(0, t)</c> is step t of a (T, B, F) batch, shape (B, F).
    /// </summary>
    public NdArray<T> Select(int axis, int index)
    {
        if ((uint)axis >= (uint)Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} does not exist in shape {FormatShape(Shape)}.");
        if ((uint)index >= (uint)Shape[axis])
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside axis {axis} of shape {FormatShape(Shape)}.");
        int outer = 1, inner = 1;
        for (int a = 0; a < axis; a++) outer *= Shape[a];
        for (int a = axis + 1; a < Rank; a++) inner *= Shape[a];
        var result = new T[outer * inner];
        for (int o = 0; o < outer; o++)
            Data.AsSpan((o * Shape[axis] + index) * inner, inner).CopyTo(result.AsSpan(o * inner, inner));
        return new NdArray<T>(result, [.. Shape[..axis], .. Shape[(axis + 1)..]]);
    }

    /// <summary>A rank-2 array as a MathNet matrix (a copy), for equation-level code.</summary>
    public Matrix<T> ToMatrix()
    {
        if (Rank != 2) throw new InvalidOperationException($"Only a rank-2 array is a matrix; this one has shape {FormatShape(Shape)}.");
        return Matrix<T>.Build.DenseOfRowMajor(Shape[0], Shape[1], Data);
    }

    /// <summary>A rank-1 array as a MathNet vector (a copy), for equation-level code.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> ToVector()
    {
        if (Rank != 1) throw new InvalidOperationException($"Only a rank-1 array is a vector; this one has shape {FormatShape(Shape)}.");
        return MathNet.Numerics.LinearAlgebra.Vector<T>.Build.DenseOfArray((T[])Data.Clone());
    }

    /// <summary>
    /// The features of step <paramref name="t"/>, batch entry <paramref name="b"/> of a (T, B, features) sequence as a
    /// MathNet vector (a copy): h_t of a layer's output, read the way equation-level code holds it.
    /// </summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> StepVector(int t, int b = 0)
    {
        if (Rank != 3) throw new InvalidOperationException($"Only a (T, B, features) array has steps; this one has shape {FormatShape(Shape)}.");
        return StepBlock(t, 0, Shape[2], b);
    }

    /// <summary>
    /// Features <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of step
    /// <paramref name="t"/>, batch entry <paramref name="b"/> of a (T, B, features) sequence (a copy): one gate's block
    /// of a layer's stacked gate activations, such as GRU's z_t at features H..2H−1.
    /// </summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> StepBlock(int t, int start, int count, int b = 0)
    {
        if (Rank != 3) throw new InvalidOperationException($"Only a (T, B, features) array has steps; this one has shape {FormatShape(Shape)}.");
        if ((uint)t >= (uint)Shape[0]) throw new ArgumentOutOfRangeException(nameof(t), $"Step {t} is outside the {Shape[0]} steps of shape {FormatShape(Shape)}.");
        if ((uint)b >= (uint)Shape[1]) throw new ArgumentOutOfRangeException(nameof(b), $"Batch entry {b} is outside the batch of {Shape[1]} in shape {FormatShape(Shape)}.");
        if (start < 0 || count < 0 || start + count > Shape[2])
            throw new ArgumentOutOfRangeException(nameof(count), $"Features {start}..{start + count - 1} are outside the {Shape[2]} features of shape {FormatShape(Shape)}.");
        return MathNet.Numerics.LinearAlgebra.Vector<T>.Build.DenseOfArray(Data.AsSpan((t * Shape[1] + b) * Shape[2] + start, count).ToArray());
    }

    /// <summary>
    /// Vectors x_1..x_T of equal length as a (T, 1, features) sequence (a copy): the input a layer takes for the steps an
    /// equation-level cell reads one at a time.
    /// </summary>
    public static NdArray<T> FromSteps(IEnumerable<MathNet.Numerics.LinearAlgebra.Vector<T>> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var list = steps.ToList();
        if (list.Count == 0) throw new ArgumentException("A sequence needs at least one step.", nameof(steps));
        int width = list[0].Count;
        var data = new T[list.Count * width];
        for (int t = 0; t < list.Count; t++)
        {
            if (list[t].Count != width)
                throw new ArgumentException($"Step {t} has {list[t].Count} features; step 0 has {width}.", nameof(steps));
            list[t].ToArray().CopyTo(data, t * width);
        }
        return new NdArray<T>(data, list.Count, 1, width);
    }

    /// <summary>A MathNet matrix as a (rows, columns) array (a copy).</summary>
    public static NdArray<T> FromMatrix(Matrix<T> matrix) => new(matrix.ToRowMajorArray(), matrix.RowCount, matrix.ColumnCount);

    /// <summary>A MathNet vector as a (n,) array (a copy).</summary>
    public static NdArray<T> FromVector(MathNet.Numerics.LinearAlgebra.Vector<T> vector) => new(vector.ToArray(), vector.Count);

    /// <summary>
    /// The flat offset of the first NaN or infinity, or −1 when every element is finite: the one search behind every
    /// "holds NaN at index ..." message (inputs of a layer or of <c>workbench infer</c>, gradients in the trainer).
    /// </summary>
    public int IndexOfNonFinite()
    {
        T[] data = Data;
        for (int i = 0; i < data.Length; i++)
            if (!T.IsFinite(data[i])) return i;
        return -1;
    }

    /// <summary>The multi-index of the flat row-major <paramref name="offset"/> (the inverse of <see cref="Offset"/>).</summary>
    public int[] Unravel(int offset)
    {
        if ((uint)offset >= (uint)Data.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Offset {offset} is outside an array of {Data.Length} elements.");
        var index = new int[Rank];
        for (int axis = Rank - 1; axis >= 0; axis--)
        {
            index[axis] = offset % Shape[axis];
            offset /= Shape[axis];
        }
        return index;
    }

    /// <summary>True when both arrays have the same shape.</summary>
    public bool SameShape(NdArray<T> other) => Shape.AsSpan().SequenceEqual(other.Shape);

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> unless the shape is <paramref name="expected"/>.</summary>
    public void RequireShape(string name, params int[] expected)
    {
        if (!Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(Shape)}, expected {FormatShape(expected)}.");
    }

    /// <summary>Formats a shape as PyTorch prints it, e.g. (5, 3, 10).</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        if (shape.Length == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }

    /// <summary>The product of the extents; throws on a negative extent.</summary>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int extent in shape)
        {
            if (extent < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative extent.");
            count *= extent;
        }
        return count;
    }

    /// <inheritdoc/>
    public override string ToString() => $"NdArray<{typeof(T).Name}>{FormatShape(Shape)}";
}
