using Workbench.Projections;

namespace Workbench.Core.Tests.Projections;

public class TsneGradientTests
{
    private static (double[] X, double[] Y) Random(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() * 4).ToArray(), Enumerable.Range(0, n * 2).Select(_ => rng.NextDouble() * 3 - 1.5).ToArray());
    }

    [Fact]
    public void ExactGradientIsTheDerivativeOfKl()
    {
        int n = 12, d = 5;
        var (x, y) = Random(n, d, 11);
        double[] p = Tsne.DenseAffinities(x, n, d, perplexity: 4, CancellationToken.None);
        Assert.Equal(1.0, p.Sum(), 9);
        var grad = new double[y.Length];
        Tsne.ExactGradient(p, y, n, 2, exaggeration: 1, grad);
        const double h = 1e-6;
        for (int i = 0; i < y.Length; i++)
        {
            double saved = y[i];
            y[i] = saved + h; double plus = Tsne.KlDivergence(p, y, n, 2);
            y[i] = saved - h; double minus = Tsne.KlDivergence(p, y, n, 2);
            y[i] = saved;
            Assert.Equal((plus - minus) / (2 * h), grad[i], 6);
        }
    }

    [Fact]
    public void BarnesHutWithThetaZeroAndAllNeighboursIsTheExactGradient()
    {
        int n = 40, d = 6;
        var (x, y) = Random(n, d, 5);
        double perplexity = 13; // 3·13 + 1 ≥ n − 1: every point is a neighbour, so the sparse P is the dense P
        double[] dense = Tsne.DenseAffinities(x, n, d, perplexity, CancellationToken.None);
        var sparse = Tsne.SparseAffinities(x, n, d, perplexity, CancellationToken.None);
        var exact = new double[2 * n];
        var barnesHut = new double[2 * n];
        Tsne.ExactGradient(dense, y, n, 2, exaggeration: 1, exact);
        Tsne.BarnesHutGradient(sparse, y, n, theta: 0, exaggeration: 1, barnesHut);
        for (int i = 0; i < 2 * n; i++) Assert.Equal(exact[i], barnesHut[i], 9);
        // With θ = 0.5 the far field is approximated: close, not equal.
        Tsne.BarnesHutGradient(sparse, y, n, theta: 0.5, exaggeration: 1, barnesHut);
        double error = Math.Sqrt(exact.Zip(barnesHut, (a, b) => (a - b) * (a - b)).Sum() / exact.Select(a => a * a).Sum());
        Assert.True(error < 0.05, $"relative error {error}");
    }
}
