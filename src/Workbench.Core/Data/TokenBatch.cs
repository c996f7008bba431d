namespace Workbench.Data;

/// <summary>
/// A padded, time-major batch of token sequences: <see cref="Tokens"/>[t * BatchSize + b], with per-step
/// <see cref="Targets"/> (ignored positions hold <see cref="IgnoreIndex"/>) and the true <see cref="Lengths"/>.
/// </summary>
public sealed class TokenBatch
{
    /// <summary>The target value that the loss skips, as PyTorch's ignore_index default.</summary>
    public const int IgnoreIndex = -100;

    /// <summary>Padded length T (the longest sequence in the batch).</summary>
    public int Steps { get; }

    /// <summary>Number of sequences B.</summary>
    public int BatchSize { get; }

    /// <summary>Token ids, time-major (T × B); padding positions hold <see cref="PaddingToken"/>.</summary>
    public int[] Tokens { get; }

    /// <summary>Per-step targets, time-major (T × B), <see cref="IgnoreIndex"/> where nothing is scored; null when the batch has no per-step targets.</summary>
    public int[]? Targets { get; }

    /// <summary>One label per sequence (B), or null.</summary>
    public int[]? Labels { get; }

    /// <summary>The true length of each sequence (B).</summary>
    public int[] Lengths { get; }

    /// <summary>The token used for padding.</summary>
    public int PaddingToken { get; }

    /// <summary>Creates a batch; arrays are used as given.</summary>
    public TokenBatch(int steps, int batchSize, int[] tokens, int[]? targets, int[]? labels, int[] lengths, int paddingToken = 0)
    {
        if (tokens.Length != steps * batchSize) throw new ArgumentException($"tokens holds {tokens.Length} ids, expected {steps}×{batchSize}.");
        if (targets is not null && targets.Length != steps * batchSize) throw new ArgumentException($"targets holds {targets.Length} ids, expected {steps}×{batchSize}.");
        if (labels is not null && labels.Length != batchSize) throw new ArgumentException($"labels holds {labels.Length} ids, expected {batchSize}.");
        if (lengths.Length != batchSize) throw new ArgumentException($"lengths holds {lengths.Length} values, expected {batchSize}.");
        Steps = steps;
        BatchSize = batchSize;
        Tokens = tokens;
        Targets = targets;
        Labels = labels;
        Lengths = lengths;
        PaddingToken = paddingToken;
    }

    /// <summary>Number of scored positions (targets not ignored), or the batch size for sequence labels.</summary>
    public int ScoredCount
    {
        get
        {
            if (Targets is null) return BatchSize;
            int count = 0;
            foreach (int t in Targets) if (t != IgnoreIndex) count++;
            return count;
        }
    }

    /// <summary>Pads and transposes sequences (and optional per-step targets or labels) into a batch.</summary>
    public static TokenBatch Create(IReadOnlyList<int[]> sequences, IReadOnlyList<int[]>? targets, IReadOnlyList<int>? labels, int paddingToken = 0)
    {
        int b = sequences.Count;
        int steps = 0;
        foreach (var s in sequences) steps = Math.Max(steps, s.Length);
        var tokens = new int[steps * b];
        Array.Fill(tokens, paddingToken);
        int[]? y = null;
        if (targets is not null) { y = new int[steps * b]; Array.Fill(y, IgnoreIndex); }
        var lengths = new int[b];
        for (int j = 0; j < b; j++)
        {
            int[] s = sequences[j];
            lengths[j] = s.Length;
            if (targets is not null && targets[j].Length != s.Length)
                throw new ArgumentException($"Sequence {j} has {s.Length} tokens but {targets[j].Length} targets.");
            for (int t = 0; t < s.Length; t++)
            {
                tokens[t * b + j] = s[t];
                if (y is not null) y[t * b + j] = targets![j][t];
            }
        }
        return new TokenBatch(steps, b, tokens, y, labels?.ToArray(), lengths, paddingToken);
    }
}
