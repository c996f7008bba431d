using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Parity;

/// <summary>Finds and reads the committed fixtures written by tests/fixtures/pytorch/make_fixtures.py.</summary>
internal static class PyTorchFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pytorch");
            if (File.Exists(Path.Combine(candidate, "make_fixtures.py"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/pytorch was not found above " + AppContext.BaseDirectory);
    });

    public static string PathOf(string fileName) => Path.Combine(Folder.Value, fileName);

    public static SafetensorsFile Load(string fileName) => SafetensorsFile.Load(PathOf(fileName));

    /// <summary>Asserts every element is within <paramref name="tolerance"/> (absolute + relative to the reference magnitude).</summary>
    public static void AssertClose<T>(NdArray<double> expected, NdArray<T> actual, double tolerance, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.True(expected.SameShape(actual.Cast<double>()),
            $"{what}: shape {NdArray<T>.FormatShape(actual.Shape)}, expected {NdArray<double>.FormatShape(expected.Shape)}");
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected.Data[i], a = double.CreateChecked(actual.Data[i]);
            double err = Math.Abs(e - a) / (1 + Math.Abs(e));
            if (!(err <= worst)) { worst = err; worstIndex = i; }
        }
        Assert.True(worst <= tolerance,
            $"{what}: element {worstIndex} is {(worstIndex < 0 ? 0 : actual.Data[worstIndex])}, expected {(worstIndex < 0 ? 0 : expected.Data[worstIndex])} (relative error {worst:g3} > {tolerance:g3})");
    }
}
