using Workbench.Embeddings;

namespace Workbench.Core.Tests.Embeddings;

/// <summary>
/// Every vector width of the word2vec kernels against the scalar path (each width runs here whatever the CPU: a width
/// the CPU lacks runs in software), the division-free remainder against %, and the guided noise sampler against the
/// full search.
/// </summary>
public unsafe class Word2VecKernelsTests
{
    private delegate float DotKernel(float* a, float* b, int n);
    private delegate void UpdateKernel(float* row, float* input, float* error, float g, int n);
    private delegate void AddKernel(float* x, float* y, int n);
    private delegate void DivideKernel(float* x, float c, int n);

    private static readonly int[] Lengths = [.. Enumerable.Range(1, 40), 63, 64, 65, 100, 127, 300];

    private static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    public static TheoryData<string> Widths => new() { "128", "256", "512", "dispatch" };

    [Theory]
    [MemberData(nameof(Widths))]
    public void DotOfEveryWidthIsTheScalarSumUpToRounding(string width)
    {
        DotKernel dot = width switch
        {
            "128" => Word2VecKernels.Dot128, "256" => Word2VecKernels.Dot256, "512" => Word2VecKernels.Dot512, _ => Word2VecKernels.Dot,
        };
        var rng = new Random(11);
        foreach (int n in Lengths)
        {
            float[] a = Random(rng, n), b = Random(rng, n);
            fixed (float* pa = a, pb = b)
            {
                double exact = 0, magnitude = 0;
                for (int i = 0; i < n; i++) { exact += (double)a[i] * b[i]; magnitude += Math.Abs((double)a[i] * b[i]); }
                float scalar = Word2VecKernels.DotScalar(pa, pb, n), vector = dot(pa, pb, n);
                // Two float summation orders each lie within n·2⁻²⁴·Σ|aᵢbᵢ| (to first order) of the exact sum.
                double bound = 2 * n * Math.Pow(2, -24) * magnitude;
                Assert.True(Math.Abs(vector - scalar) <= bound, $"n {n}: vector {vector} scalar {scalar} bound {bound}");
                Assert.True(Math.Abs(vector - exact) <= bound / 2 + 1e-30, $"n {n}: vector {vector} exact {exact}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ElementwiseKernelsOfEveryWidthEqualTheScalarPathBitForBit(string width)
    {
        UpdateKernel update = width switch
        {
            "128" => Word2VecKernels.Update128, "256" => Word2VecKernels.Update256, "512" => Word2VecKernels.Update512, _ => Word2VecKernels.Update,
        };
        AddKernel add = width switch
        {
            "128" => Word2VecKernels.Add128, "256" => Word2VecKernels.Add256, "512" => Word2VecKernels.Add512, _ => Word2VecKernels.Add,
        };
        DivideKernel divide = width switch
        {
            "128" => Word2VecKernels.Divide128, "256" => Word2VecKernels.Divide256, "512" => Word2VecKernels.Divide512, _ => Word2VecKernels.Divide,
        };
        var rng = new Random(12);
        foreach (int n in Lengths)
        {
            float[] row = Random(rng, n), input = Random(rng, n), error = Random(rng, n);
            float[] row2 = (float[])row.Clone(), error2 = (float[])error.Clone(), x = Random(rng, n), x2 = (float[])x.Clone();
            float g = (float)rng.NextDouble() * 0.05f - 0.025f;
            fixed (float* r1 = row, r2 = row2, pin = input, e1 = error, e2 = error2, px = x, px2 = x2)
            {
                Word2VecKernels.UpdateScalar(r1, pin, e1, g, n);
                update(r2, pin, e2, g, n);
                Assert.Equal(row, row2);
                Assert.Equal(error, error2);
                Word2VecKernels.AddScalar(px, pin, n);
                add(px2, pin, n);
                Assert.Equal(x, x2);
                Word2VecKernels.DivideScalar(px, 3f, n);
                divide(px2, 3f, n);
                Assert.Equal(x, x2);
            }
        }
    }

    [Fact]
    public void UpdateAddsTheOldRowToTheErrorAndTheInputToTheRow()
    {
        float[] row = [1, 2, 3, 4, 5], input = [10, 20, 30, 40, 50], error = [0, 0, 0, 0, 1];
        fixed (float* r = row, i = input, e = error) Word2VecKernels.Update(r, i, e, 0.5f, 5);
        Assert.Equal([0.5f, 1, 1.5f, 2, 3.5f], error);
        Assert.Equal([6f, 12, 18, 24, 30], row);
    }

    [Fact]
    public void FastModuloEqualsTheRemainderOperator()
    {
        var rng = new Random(13);
        uint[] divisors = [1, 2, 3, 5, 7, 10, 1000, 65537, int.MaxValue - 1, int.MaxValue, 1u << 31, uint.MaxValue - 1, uint.MaxValue,
            .. Enumerable.Range(0, 50).Select(_ => (uint)rng.NextInt64(1, 1L << 32))];
        foreach (uint d in divisors)
        {
            var mod = new FastModulo(d);
            uint[] values = [0, 1, d - 1, d, d + 1, 2 * d - 1, uint.MaxValue, uint.MaxValue - 1, .. Enumerable.Range(0, 2000).Select(_ => (uint)rng.NextInt64(0, 1L << 32))];
            foreach (uint x in values) Assert.True(mod.Of(x) == x % d, $"{x} mod {d}: {mod.Of(x)}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastModulo(0));
    }

    public static TheoryData<int, double> Tables => new() { { 2, 0.75 }, { 3, 0.75 }, { 17, 0.75 }, { 1000, 0.75 }, { 22541, 0.75 }, { 5000, 0.0 }, { 300, 1.0 } };

    [Theory]
    [MemberData(nameof(Tables))]
    public void GuidedNoiseSamplerAnswersEveryDrawAsTheFullSearch(int vocabulary, double exponent)
    {
        // Zipf-like counts, most frequent first, with the long tail of count-5 words a real vocabulary has.
        long[] counts = Enumerable.Range(1, vocabulary).Select(r => Math.Max(5L, 1_000_000L / r)).ToArray();
        var (_, cumulative) = Word2Vec.SamplingTables(counts, 1e-3, exponent);
        var sampler = new NoiseSampler(cumulative);
        var rng = new Random(14);
        var draws = Enumerable.Range(0, 200_000).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToList();
        // Draws that land exactly on, just before and just after every boundary.
        foreach (uint c in cumulative) draws.AddRange([c, c - 1, c + 1]);
        draws.AddRange([0, 1, uint.MaxValue, cumulative[^1] - 1]);
        foreach (uint draw in draws)
        {
            int guided = sampler.Sample(draw), searched = sampler.SampleBySearch(draw);
            if (guided != searched) Assert.Fail($"draw {draw}: guided {guided}, full search {searched}");
        }
    }

    [Fact]
    public void NoiseSamplerRejectsAnEmptyTable()
    {
        Assert.Throws<ArgumentException>(() => new NoiseSampler([]));
        Assert.Throws<ArgumentException>(() => new NoiseSampler([0]));
    }
}
