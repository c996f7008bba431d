namespace Workbench.Onnx.Tests;

/// <summary>Finds the committed files written by tests/fixtures/onnx/make_fixtures.py.</summary>
internal static class OnnxFixtures
{
    public static string Directory { get; } = Find();

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures", "onnx");
            if (File.Exists(System.IO.Path.Combine(candidate, "make_fixtures.py"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/onnx was not found above " + AppContext.BaseDirectory);
    }
}
