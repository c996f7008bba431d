using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Layers;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/>, as torch.nn.Embedding:
/// token ids of any shape S become vectors of shape S × EmbeddingDim. Parameter: <c>weight</c> (num_embeddings, dim).
/// </summary>
public sealed class Embedding<T> : IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[]? _ids;
    private int[]? _idsShape;
    private NdArray<T>? _output;

    /// <summary>The table, one row per token id.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>Number of rows (vocabulary size).</summary>
    public int NumEmbeddings { get; }

    /// <summary>Vector size.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The id whose row stays zero and gets no gradient (already normalized to be non-negative), or null.</summary>
    public int? PaddingIdx { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// When true, <see cref="Forward(int[], int[])"/> returns an array owned by the layer that the next call with the
    /// same shape overwrites, so that a training loop allocates nothing per call; when false (the default) every call
    /// returns a fresh array the caller may keep.
    /// </summary>
    public bool ReuseOutputs { get; init; }

    /// <summary>Creates the table with PyTorch's default N(0, 1) rows; the padding row, if any, is zero.</summary>
    /// <param name="numEmbeddings">Vocabulary size.</param>
    /// <param name="embeddingDim">Vector size.</param>
    /// <param name="random">Source of the initial values (a seeded Random reproduces them).</param>
    /// <param name="paddingIdx">As PyTorch: a negative value counts from the end.</param>
    public Embedding(int numEmbeddings, int embeddingDim, Random random, int? paddingIdx = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        ArgumentNullException.ThrowIfNull(random);
        if (paddingIdx is int p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"padding_idx must be within [-{numEmbeddings}, {numEmbeddings}).");
            PaddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = new Parameter<T>("weight", Init.Normal(NdArray<T>.Zeros(numEmbeddings, embeddingDim), 0, 1, random));
        if (PaddingIdx is int pad) Array.Clear(Weight.Value.Data, pad * embeddingDim, embeddingDim);
        Parameters = [Weight];
    }

    /// <summary>Creates the table with N(0, 1) rows drawn from <c>new Random(seed)</c>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int seed = 0, int? paddingIdx = null)
        : this(numEmbeddings, embeddingDim, new Random(seed), paddingIdx)
    {
    }

    /// <summary>Looks up a 1-D sequence of ids: output (n, EmbeddingDim).</summary>
    public NdArray<T> Forward(int[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // The kept shape of the previous call serves again when it matches (no allocation in a loop).
        return Forward(ids, _idsShape is [int n] && n == ids.Length ? _idsShape : [ids.Length]);
    }

    /// <summary>Looks up ids laid out with <paramref name="idsShape"/> (row-major): output idsShape × EmbeddingDim.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, NumEmbeddings): the message names it and its position.</exception>
    public NdArray<T> Forward(int[] ids, int[] idsShape)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(idsShape);
        if (NdArray<T>.ElementCount(idsShape) != ids.Length)
            throw new ArgumentException($"Tensor 'ids' has {ids.Length} elements but shape {NdArray<T>.FormatShape(idsShape)}.");
        // Every id is checked before anything changes: a bad id leaves the layer as the previous call left it.
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)NumEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(ids),
                    $"Tensor 'ids' holds token id {id} at position {FormatPosition(i, idsShape)}, outside the embedding's range [0, {NumEmbeddings}).");
        }
        int dim = EmbeddingDim;
        NdArray<T> output = ReuseOutputs && _output is not null && HasShape(_output, idsShape, dim)
            ? _output
            : new NdArray<T>(new T[checked(ids.Length * dim)], [.. idsShape, dim]);
        if (ReuseOutputs) _output = output;
        ReadOnlySpan<T> table = Weight.Value.Data;
        Span<T> rows = output.Data;
        for (int i = 0; i < ids.Length; i++) table.Slice(ids[i] * dim, dim).CopyTo(rows.Slice(i * dim, dim));
        // The ids are copied (the caller may change its array before Backward) into buffers kept between calls.
        _ids = CopyInto(_ids, ids);
        _idsShape = CopyInto(_idsShape, idsShape);
        return output;
    }

    /// <summary>Scatter-adds ∂L/∂output into <c>weight</c>'s gradient (rows of repeated ids add up; the padding row gets nothing).</summary>
    public void Backward(NdArray<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (_ids is null || _idsShape is null) throw new InvalidOperationException("Backward was called before Forward.");
        if (!HasShape(gradOutput, _idsShape, EmbeddingDim)) gradOutput.RequireShape("grad_output", [.. _idsShape, EmbeddingDim]);
        int dim = EmbeddingDim;
        Span<T> grad = Weight.Grad.Data;
        ReadOnlySpan<T> upstream = gradOutput.Data;
        for (int i = 0; i < _ids.Length; i++)
        {
            int id = _ids[i];
            if (id == PaddingIdx) continue;
            Span<T> row = grad.Slice(id * dim, dim);
            TensorPrimitives.Add(row, upstream.Slice(i * dim, dim), row);
        }
    }

    /// <summary>True when <paramref name="array"/> has shape leading × last (checked without allocating).</summary>
    private static bool HasShape(NdArray<T> array, int[] leading, int last)
    {
        int[] shape = array.Shape;
        return shape.Length == leading.Length + 1 && shape[^1] == last && shape.AsSpan(0, leading.Length).SequenceEqual(leading);
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="buffer"/> when the lengths agree, else into a new array.</summary>
    private static int[] CopyInto(int[]? buffer, int[] source)
    {
        if (buffer is null || buffer.Length != source.Length) buffer = new int[source.Length];
        source.CopyTo(buffer, 0);
        return buffer;
    }

    private static string FormatPosition(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return NdArray<T>.FormatShape(index);
    }
}
