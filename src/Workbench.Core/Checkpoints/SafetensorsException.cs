namespace Workbench.Checkpoints;

/// <summary>
/// A safetensors file (or a checkpoint in one) is malformed or does not fit what was asked of it.
/// The message names the file, the tensor when there is one, and what is wrong.
/// </summary>
public sealed class SafetensorsException : Exception
{
    /// <summary>The file concerned (null for an in-memory buffer).</summary>
    public string? FilePath { get; }

    /// <summary>The tensor concerned, when the problem is about one tensor.</summary>
    public string? TensorName { get; }

    /// <summary>Creates the exception; the message is prefixed with the file and tensor names.</summary>
    public SafetensorsException(string? filePath, string? tensorName, string problem, Exception? inner = null)
        : base(Compose(filePath, tensorName, problem), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    private static string Compose(string? filePath, string? tensorName, string problem)
    {
        string where = filePath is null ? "safetensors buffer" : $"'{filePath}'";
        return tensorName is null ? $"{where}: {problem}" : $"{where}, tensor '{tensorName}': {problem}";
    }
}
