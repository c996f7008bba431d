namespace Workbench.Onnx;

/// <summary>What an exported ONNX graph takes and gives besides the sequence.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Adds the int32 input <c>sequence_lens</c> (B): steps at or past a sequence's length output zero and its final
    /// state is the one at its own last step, as the workbench's lengths (PyTorch's packed sequences).
    /// </summary>
    public bool SequenceLengths { get; init; } = true;

    /// <summary>Adds the inputs <c>h0</c> (and <c>c0</c> for an LSTM), (L·D, B, H), the states the layers start from.</summary>
    public bool InitialStates { get; init; } = true;

    /// <summary>The graph's name.</summary>
    public string GraphName { get; init; } = "workbench";
}
