using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Tensors;

namespace Workbench.Layers;

/// <summary>
/// Weight initializers with torch.nn.init's definitions, drawing from a caller-supplied <see cref="Random"/>
/// so that a seed reproduces the same weights. Each fills the tensor in place and returns it; for a parameter pass
/// <c>parameter.Value</c>, e.g. <c>Init.Orthogonal(layer.WeightHh(0).Value, random)</c>.
/// </summary>
public static class Init
{
    /// <summary>Fills with U(−bound, bound).</summary>
    public static NdArray<T> Uniform<T>(NdArray<T> tensor, double bound, Random random) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < tensor.Data.Length; i++) tensor.Data[i] = T.CreateChecked((2 * random.NextDouble() - 1) * bound);
        return tensor;
    }

    /// <summary>Fills with N(mean, std²) (Box–Muller).</summary>
    public static NdArray<T> Normal<T>(NdArray<T> tensor, double mean, double std, Random random) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < tensor.Data.Length; i++) tensor.Data[i] = T.CreateChecked(mean + std * StandardNormal(random));
        return tensor;
    }

    /// <summary>Fills with a constant.</summary>
    public static NdArray<T> Constant<T>(NdArray<T> tensor, T value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Array.Fill(tensor.Data, value);
        return tensor;
    }

    /// <summary>
    /// PyTorch's default for Linear and the recurrent layers: U(−1/√fan, 1/√fan), where <paramref name="fan"/> is
    /// the fan-in for Linear and the hidden size for RNN/GRU/LSTM.
    /// </summary>
    public static NdArray<T> PyTorchDefault<T>(NdArray<T> tensor, int fan, Random random) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (fan <= 0) throw new ArgumentOutOfRangeException(nameof(fan), fan, "The fan must be positive.");
        return Uniform(tensor, 1.0 / Math.Sqrt(fan), random);
    }

    /// <summary>Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static NdArray<T> XavierUniform<T>(NdArray<T> tensor, Random random, double gain = 1.0) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(tensor);
        return Uniform(tensor, gain * Math.Sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /// <summary>Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).</summary>
    public static NdArray<T> XavierNormal<T>(NdArray<T> tensor, Random random, double gain = 1.0) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), random);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>, as torch.nn.init.orthogonal_: the tensor is seen as
    /// rows = shape[0] by cols = the rest; a Gaussian matrix is QR-factored and Q's columns are sign-fixed by diag(R)
    /// so the result is uniformly distributed. Rows are orthonormal when rows ≤ cols, columns otherwise.
    /// </summary>
    public static NdArray<T> Orthogonal<T>(NdArray<T> tensor, Random random, double gain = 1.0) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2) throw new ArgumentException($"Orthogonal initialization needs at least 2 dimensions, got shape {NdArray<T>.FormatShape(tensor.Shape)}.");
        int rows = tensor.Shape[0];
        int cols = tensor.Length / rows;
        // QR needs a tall matrix: factor the transpose when the matrix is wide.
        bool wide = rows < cols;
        int tall = wide ? cols : rows, narrow = wide ? rows : cols;
        Matrix<double> gaussian = Matrix<double>.Build.Dense(tall, narrow, (_, _) => StandardNormal(random));
        var qr = gaussian.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        Matrix<double> q = qr.Q;
        for (int j = 0; j < narrow; j++)
        {
            double sign = Math.Sign(qr.R[j, j]);
            q.SetColumn(j, q.Column(j) * sign);
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                tensor.Data[r * cols + c] = T.CreateChecked(gain * (wide ? q[c, r] : q[r, c]));
        return tensor;
    }

    /// <summary>(fan_in, fan_out) as torch computes them: shape[1]·receptive and shape[0]·receptive.</summary>
    public static (int FanIn, int FanOut) Fans<T>(NdArray<T> tensor) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2) throw new ArgumentException($"Fan in and fan out need at least 2 dimensions, got shape {NdArray<T>.FormatShape(tensor.Shape)}.");
        int receptive = 1;
        for (int axis = 2; axis < tensor.Rank; axis++) receptive *= tensor.Shape[axis];
        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    private static double StandardNormal(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
