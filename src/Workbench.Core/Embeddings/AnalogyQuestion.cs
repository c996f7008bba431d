namespace Workbench.Embeddings;

/// <summary>"A is to B as C is to Expected"; <see cref="Predicted"/> is the model's answer (null when skipped as OOV).</summary>
/// <param name="A">First word.</param>
/// <param name="B">Second word.</param>
/// <param name="C">Third word.</param>
/// <param name="Expected">The expected fourth word.</param>
/// <param name="Predicted">The word the model chose.</param>
public sealed record AnalogyQuestion(string A, string B, string C, string Expected, string? Predicted);
