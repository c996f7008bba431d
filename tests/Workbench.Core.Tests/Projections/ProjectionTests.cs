using System.Text.Json;
using Workbench.Core.Tests.Embeddings;
using Workbench.Projections;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Projections;

public class PcaTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("expected.json"))).RootElement.GetProperty("pca");

    private static NdArray<double> Matrix(JsonElement rows)
    {
        var list = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
        return new NdArray<double>(list.SelectMany(r => r).ToArray(), list.Count, list[0].Length);
    }

    [Fact]
    public void AgreesWithScikitLearnUpToSign()
    {
        var data = Matrix(Expected.GetProperty("data"));
        var pca = Pca.Fit(data, 3);
        var components = Matrix(Expected.GetProperty("components"));
        var transformed = Matrix(Expected.GetProperty("transformed"));
        var ours = pca.Transform(data);
        for (int c = 0; c < 3; c++)
        {
            double sign = Math.Sign(Enumerable.Range(0, 6).Sum(j => components[c, j] * pca.Components[c, j]));
            for (int j = 0; j < 6; j++) Assert.Equal(components[c, j], sign * pca.Components[c, j], 9);
            for (int i = 0; i < data.Shape[0]; i++) Assert.Equal(transformed[i, c], sign * ours[i, c], 8);
            Assert.Equal(Expected.GetProperty("explained_variance")[c].GetDouble(), pca.ExplainedVariance[c], 8);
            Assert.Equal(Expected.GetProperty("explained_variance_ratio")[c].GetDouble(), pca.ExplainedVarianceRatio[c], 10);
            Assert.Equal(Expected.GetProperty("singular_values")[c].GetDouble(), pca.SingularValues[c], 8);
        }
    }

    [Fact]
    public void ComponentsAreOrthonormalAndVarianceDecreases()
    {
        var data = Matrix(Expected.GetProperty("data"));
        var pca = Pca.Fit(data, 6);
        for (int a = 0; a < 6; a++)
            for (int b = 0; b < 6; b++)
                Assert.Equal(a == b ? 1.0 : 0.0, Enumerable.Range(0, 6).Sum(j => pca.Components[a, j] * pca.Components[b, j]), 10);
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.Sum(), 10);
        for (int c = 1; c < 6; c++) Assert.True(pca.ExplainedVariance[c] <= pca.ExplainedVariance[c - 1]);
        // Variance of the scores along a component is that component's explained variance.
        var scores = pca.Transform(data);
        int n = data.Shape[0];
        double variance = Enumerable.Range(0, n).Sum(i => scores[i, 0] * scores[i, 0]) / (n - 1);
        Assert.Equal(pca.ExplainedVariance[0], variance, 8);
    }

    [Fact]
    public void ManySamplesTakeTheGramPathAndAgree()
    {
        var rng = new Random(3);
        int n = 2100, d = 5;
        var data = new NdArray<double>(Enumerable.Range(0, n * d).Select(i => rng.NextDouble() * (1 + i % d)).ToArray(), n, d);
        var gram = Pca.Fit(data, 2);
        var direct = Pca.Fit(new NdArray<double>(data.Data[..(2000 * d)], 2000, d), 2);
        Assert.True(gram.ExplainedVarianceRatio[0] > gram.ExplainedVarianceRatio[1]);
        // Same distribution: the leading axis is (nearly) the same direction.
        double dot = Enumerable.Range(0, d).Sum(j => gram.Components[0, j] * direct.Components[0, j]);
        Assert.True(Math.Abs(dot) > 0.99, $"|cos| = {Math.Abs(dot)}");
    }
}

public class TsneTests
{
    /// <summary>Three well-separated Gaussian clusters in 10-D.</summary>
    private static (NdArray<double> Data, int[] Labels) Clusters(int perCluster, int seed)
    {
        var rng = new Random(seed);
        int d = 10, n = 3 * perCluster;
        var data = new double[n * d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < d; j++)
            {
                double center = j == labels[i] * 3 ? 10 : 0;
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                data[i * d + j] = center + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }
        return (new NdArray<double>(data, n, d), labels);
    }

    /// <summary>Share of the k nearest embedded neighbours that carry the point's own label.</summary>
    private static double NeighbourAgreement(NdArray<double> y, int[] labels, int k)
    {
        int n = labels.Length, same = 0;
        for (int i = 0; i < n; i++)
        {
            var nearest = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Math.Pow(y[i, 0] - y[j, 0], 2) + Math.Pow(y[i, 1] - y[j, 1], 2)).Take(k);
            same += nearest.Count(j => labels[j] == labels[i]);
        }
        return same / (double)(n * k);
    }

    [Fact]
    public void ExactTsneKeepsClustersAndIsDeterministic()
    {
        var (data, labels) = Clusters(30, 1);
        var options = new TsneOptions { Perplexity = 10, Iterations = 400, Method = TsneMethod.Exact, Seed = 5 };
        var a = Tsne.Embed(data, options);
        var b = Tsne.Embed(data, options);
        Assert.Equal([90, 2], a.Shape);
        Assert.Equal(a.Data, b.Data);
        Assert.True(NeighbourAgreement(a, labels, 5) > 0.95);
        Assert.NotEqual(a.Data, Tsne.Embed(data, options with { Seed = 6 }).Data);
    }

    [Fact]
    public void BarnesHutTsneKeepsClustersOfHundredsOfPoints()
    {
        var (data, labels) = Clusters(200, 2);
        var options = new TsneOptions { Perplexity = 20, Iterations = 300, Method = TsneMethod.BarnesHut, Seed = 1 };
        var y = Tsne.Embed(data, options);
        Assert.Equal([600, 2], y.Shape);
        Assert.All(y.Data, v => Assert.True(double.IsFinite(v)));
        Assert.True(NeighbourAgreement(y, labels, 5) > 0.95);
        Assert.Equal(y.Data, Tsne.Embed(data, options).Data);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        var (data, _) = Clusters(5, 1);
        Assert.Contains("perplexity", Assert.Throws<ArgumentException>(() => Tsne.Embed(data, new TsneOptions { Perplexity = 30 })).Message);
        Assert.Throws<ArgumentException>(() => Tsne.Embed(data, new TsneOptions { Perplexity = 3, Method = TsneMethod.BarnesHut, Dimensions = 3 }));
    }
}
