using MathNet.Numerics.LinearAlgebra;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Shared pieces of the equation-level cells: activations on MathNet vectors and PyTorch-layout weight unpacking.
internal static class CellMath
{
    public static Vector<T> Sigmoid<T>(Vector<T> v) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => v.Map(a => T.One / (T.One + T.Exp(-a)));

    public static Vector<T> Tanh<T>(Vector<T> v) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => v.Map(T.Tanh);

    public static Vector<T> Relu<T>(Vector<T> v) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => v.Map(a => a > T.Zero ? a : T.Zero);

    // Rows [gate·H, (gate+1)·H) of a packed (G·H, n) weight matrix.
    public static Matrix<T> GateRows<T>(Matrix<T> packed, int gate, int hidden) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => packed.SubMatrix(gate * hidden, hidden, 0, packed.ColumnCount);

    public static Vector<T> GateSlice<T>(Vector<T>? packed, int gate, int hidden) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => packed is null ? Vector<T>.Build.Dense(hidden) : packed.SubVector(gate * hidden, hidden);

    // Checks PyTorch-layout shapes: weight_ih (G·H, I), weight_hh (G·H, H), biases (G·H); returns H.
    public static int CheckShapes<T>(Matrix<T> weightIh, Matrix<T> weightHh, Vector<T>? biasIh, Vector<T>? biasHh, int gates)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weightIh);
        ArgumentNullException.ThrowIfNull(weightHh);
        int hidden = weightHh.ColumnCount;
        if (hidden < 1 || weightHh.RowCount != gates * hidden)
            throw new ArgumentException($"Tensor 'weight_hh' has shape ({weightHh.RowCount}, {weightHh.ColumnCount}), expected ({gates}·H, H) = ({gates * hidden}, {hidden}).", nameof(weightHh));
        if (weightIh.RowCount != gates * hidden)
            throw new ArgumentException($"Tensor 'weight_ih' has shape ({weightIh.RowCount}, {weightIh.ColumnCount}), expected ({gates * hidden}, I).", nameof(weightIh));
        if (biasIh is not null && biasIh.Count != gates * hidden)
            throw new ArgumentException($"Tensor 'bias_ih' has shape ({biasIh.Count},), expected ({gates * hidden},).", nameof(biasIh));
        if (biasHh is not null && biasHh.Count != gates * hidden)
            throw new ArgumentException($"Tensor 'bias_hh' has shape ({biasHh.Count},), expected ({gates * hidden},).", nameof(biasHh));
        return hidden;
    }

    public static void CheckLength<T>(Vector<T> v, int expected, string name) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(v, name);
        if (v.Count != expected)
            throw new ArgumentException($"Tensor '{name}' has shape ({v.Count},), expected ({expected},).", name);
    }

    public static (Matrix<T> WeightIh, Matrix<T> WeightHh, Vector<T>? BiasIh, Vector<T>? BiasHh) FromLayer<T>(
        RecurrentLayer<T> layer, int layerIndex, bool reverse) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.Options.ProjectionSize > 0)
            throw new ArgumentException($"The equation-level cells have no projection, but the layer has ProjectionSize = {layer.Options.ProjectionSize} (PyTorch's proj_size).", nameof(layer));
        var bih = layer.BiasIh(layerIndex, reverse);
        var bhh = layer.BiasHh(layerIndex, reverse);
        return (layer.WeightIh(layerIndex, reverse).Value.ToMatrix(), layer.WeightHh(layerIndex, reverse).Value.ToMatrix(),
            bih?.Value.ToVector(), bhh?.Value.ToVector());
    }

    // The gate blocks stacked in packing order: the inverse of GateSlice.
    public static Vector<T> Stack<T>(params Vector<T>[] blocks) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => Vector<T>.Build.DenseOfEnumerable(blocks.SelectMany(b => b));

    // The gate blocks stacked in packing order: the inverse of GateRows.
    public static Matrix<T> Stack<T>(params Matrix<T>[] blocks) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var packed = Matrix<T>.Build.Dense(blocks.Sum(b => b.RowCount), blocks[0].ColumnCount);
        int row = 0;
        foreach (var block in blocks)
        {
            packed.SetSubMatrix(row, 0, block);
            row += block.RowCount;
        }
        return packed;
    }
}
