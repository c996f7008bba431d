using Workbench.Data;

namespace Workbench.Core.Tests.Data;

public class TimeSeriesTests
{
    [Fact]
    public void SinesAreTheFormula()
    {
        var s = SineWaveGenerator.Generate(50, [new SineComponent(2, 10, 0.5)]);
        for (int t = 0; t < 50; t++) Assert.Equal(2 * Math.Sin(2 * Math.PI * t / 10 + 0.5), s[t], 12);
        var noisy = SineWaveGenerator.Generate(50, [new SineComponent(2, 10, 0.5)], noise: 0.1, seed: 1);
        Assert.NotEqual(s, noisy);
        Assert.All(s.Zip(noisy), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 0.6));
    }

    [Fact]
    public void WindowsPairInputsWithTheNextValue()
    {
        double[] series = [0, 1, 2, 3, 4, 5];
        var set = TimeSeriesWindows.Create<float>(series, window: 3);
        Assert.Equal(3, set.Count);
        Assert.Equal(new[] { 3, 3, 1 }, set.Inputs.Shape);
        for (int n = 0; n < 3; n++)
        {
            for (int t = 0; t < 3; t++) Assert.Equal(n + t, set.Inputs[t, n, 0]);
            Assert.Equal(n + 3, set.Targets[n, 0]);
        }
        Assert.Throws<ArgumentException>(() => TimeSeriesWindows.Create<float>(series, window: 6));
    }

    [Fact]
    public void ScalerNormalizesAndInverts()
    {
        double[] v = [1, 2, 3, 4];
        var scaler = StandardScaler.Fit(v);
        var z = scaler.Transform(v);
        Assert.Equal(0, z.Average(), 12);
        Assert.Equal(1, Math.Sqrt(z.Select(x => x * x).Average()), 12);
        Assert.Equal(v, scaler.Inverse(z).Select(x => Math.Round(x, 10)));
    }

    [Fact]
    public void CsvLoadsQuotedAirlineLayout()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",118\n");
            var series = TimeSeriesCsv.Load(path);
            Assert.Equal(new double[] { 112, 118 }, series.Values);
            Assert.Equal(new[] { "1949-01", "1949-02" }, series.Dates);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CsvErrorsNameFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "step,value\n0,1.5\n1,abc\n");
            var error = Assert.Throws<DataFormatException>(() => TimeSeriesCsv.Load(path));
            Assert.Equal(3, error.LineNumber);
            Assert.Contains($"{path}:3:", error.Message);
            Assert.Contains("abc", error.Message);
            Assert.Throws<DataFormatException>(() => TimeSeriesCsv.Load(path, valueColumn: "nope"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ShippedSinesCsvLoads()
    {
        var series = TimeSeriesCsv.Load(Path.Combine(ShippedData.FindDataDirectory()!, ShippedData.SinesCsvPath));
        Assert.Equal(ShippedData.SinesLength, series.Values.Length);
    }
}
