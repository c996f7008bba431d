using MathNet.Numerics.LinearAlgebra;
using Workbench.Tensors;

namespace Workbench.Projections;

/// <summary>
/// Principal component analysis through MathNet's singular value decomposition, with scikit-learn's conventions:
/// data are centred (not scaled), explained variance is σ²/(n − 1), and each component's sign is chosen so that the
/// largest-magnitude entry of its score column is positive (sklearn's svd_flip), so results match up to nothing.
/// </summary>
public sealed class Pca
{
    /// <summary>The column means removed before projecting.</summary>
    public double[] Mean { get; }

    /// <summary>Principal axes, one per row: shape (components, features), orthonormal.</summary>
    public NdArray<double> Components { get; }

    /// <summary>Variance along each component, σ²/(n − 1), decreasing.</summary>
    public double[] ExplainedVariance { get; }

    /// <summary>Share of the total variance along each component.</summary>
    public double[] ExplainedVarianceRatio { get; }

    /// <summary>Singular values σ of the centred data.</summary>
    public double[] SingularValues { get; }

    /// <summary>Number of components kept.</summary>
    public int ComponentCount => ExplainedVariance.Length;

    private Pca(double[] mean, NdArray<double> components, double[] variance, double[] ratio, double[] singular)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = variance;
        ExplainedVarianceRatio = ratio;
        SingularValues = singular;
    }

    /// <summary>Fits <paramref name="components"/> principal components to the rows of <paramref name="data"/> (shape (n, features)).</summary>
    public static Pca Fit(NdArray<double> data, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2) throw new ArgumentException($"PCA needs a 2-D array (samples, features); got shape ({string.Join(", ", data.Shape)}).", nameof(data));
        int n = data.Shape[0], d = data.Shape[1];
        if (n < 2) throw new ArgumentException($"PCA needs at least 2 samples; got {n}.", nameof(data));
        if (components < 1 || components > Math.Min(n, d))
            throw new ArgumentOutOfRangeException(nameof(components), components, $"Between 1 and min(samples, features) = {Math.Min(n, d)}.");
        foreach (double v in data.Data)
            if (!double.IsFinite(v)) throw new ArgumentException("The data contain NaN or infinity.", nameof(data));

        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += data.Data[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var x = Matrix<double>.Build.Dense(n, d, (i, j) => data.Data[i * d + j] - mean[j]);

        double[] singular;
        Matrix<double> axes; // d × d, columns are the right singular vectors
        if ((long)n * n <= 4_000_000)
        {
            var svd = x.Svd(computeVectors: true);
            singular = svd.S.ToArray();
            axes = svd.VT.Transpose();
        }
        else
        {
            // Many samples: the right singular vectors of X are those of XᵀX (d × d), whose singular values are σ².
            var svd = (x.TransposeThisAndMultiply(x)).Svd(computeVectors: true);
            singular = svd.S.Select(s => Math.Sqrt(Math.Max(s, 0))).ToArray();
            axes = svd.VT.Transpose();
        }
        double total = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) total += x[i, j] * x[i, j];
        total /= n - 1;

        var comps = new double[components * d];
        var variance = new double[components];
        var ratio = new double[components];
        for (int c = 0; c < components; c++)
        {
            var axis = axes.Column(c);
            // svd_flip: make the largest |score| positive (scores are the U column up to a positive factor).
            var scores = x * axis;
            int at = scores.AbsoluteMaximumIndex();
            double sign = scores[at] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) comps[c * d + j] = sign * axis[j];
            variance[c] = singular[c] * singular[c] / (n - 1);
            ratio[c] = total > 0 ? variance[c] / total : 0;
        }
        return new Pca(mean, new NdArray<double>(comps, components, d), variance, ratio, singular.Take(components).ToArray());
    }

    /// <summary>Fits float data (converted to double).</summary>
    public static Pca Fit(NdArray<float> data, int components = 2) => Fit(data.Cast<double>(), components);

    /// <summary>Projects rows onto the components: (X − mean)·Componentsᵀ, shape (n, components).</summary>
    public NdArray<double> Transform(NdArray<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = Mean.Length;
        if (data.Rank != 2 || data.Shape[1] != d)
            throw new ArgumentException($"Expected shape (n, {d}); got ({string.Join(", ", data.Shape)}).", nameof(data));
        int n = data.Shape[0], k = ComponentCount;
        var result = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double sum = 0;
                for (int j = 0; j < d; j++) sum += (data.Data[i * d + j] - Mean[j]) * Components.Data[c * d + j];
                result[i * k + c] = sum;
            }
        return new NdArray<double>(result, n, k);
    }

    /// <summary>Projects float rows.</summary>
    public NdArray<double> Transform(NdArray<float> data) => Transform(data.Cast<double>());

    /// <summary>Fit then transform the same rows.</summary>
    public static NdArray<double> FitTransform(NdArray<double> data, int components = 2) => Fit(data, components).Transform(data);

    /// <summary>Fit then transform float rows.</summary>
    public static NdArray<double> FitTransform(NdArray<float> data, int components = 2) => FitTransform(data.Cast<double>(), components);
}
