namespace Workbench.Core.Tests.Embeddings;

/// <summary>Finds committed test data (fixtures, shipped data) from the test assembly's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Workbench.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", "gensim", name);

    public static string Data(string name) => Path.Combine(Root, "data", "embeddings", name);

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workbench-embeddings-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
