using System.Numerics;
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
    public NdArray<T> Forward(int[] ids) => Forward(ids, [ids.Length]);

    /// <summary>Looks up ids laid out with <paramref name="idsShape"/> (row-major): output idsShape × EmbeddingDim.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, NumEmbeddings): the message names it and its position.</exception>
    public NdArray<T> Forward(int[] ids, int[] idsShape)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(idsShape);
        if (NdArray<T>.ElementCount(idsShape) != ids.Length)
            throw new ArgumentException($"Tensor 'ids' has {ids.Length} elements but shape {NdArray<T>.FormatShape(idsShape)}.");
        int dim = EmbeddingDim;
        var output = new T[checked(ids.Length * dim)];
        T[] table = Weight.Value.Data;
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)NumEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(ids),
                    $"Tensor 'ids' holds token id {id} at position {FormatPosition(i, idsShape)}, outside the embedding's range [0, {NumEmbeddings}).");
            Array.Copy(table, id * dim, output, i * dim, dim);
        }
        _ids = (int[])ids.Clone();
        _idsShape = (int[])idsShape.Clone();
        return new NdArray<T>(output, [.. idsShape, dim]);
    }

    /// <summary>Scatter-adds ∂L/∂output into <c>weight</c>'s gradient (rows of repeated ids add up; the padding row gets nothing).</summary>
    public void Backward(NdArray<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (_ids is null || _idsShape is null) throw new InvalidOperationException("Backward was called before Forward.");
        gradOutput.RequireShape("grad_output", [.. _idsShape, EmbeddingDim]);
        int dim = EmbeddingDim;
        T[] grad = Weight.Grad.Data;
        T[] upstream = gradOutput.Data;
        for (int i = 0; i < _ids.Length; i++)
        {
            int id = _ids[i];
            if (id == PaddingIdx) continue;
            Span<T> row = grad.AsSpan(id * dim, dim);
            ReadOnlySpan<T> g = upstream.AsSpan(i * dim, dim);
            for (int j = 0; j < dim; j++) row[j] += g[j];
        }
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
