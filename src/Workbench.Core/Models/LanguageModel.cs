using System.Numerics;
using Workbench.Data;
using Workbench.Layers;
using Workbench.Losses;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Models;

/// <summary>
/// A character- or word-level language model: Embedding → RecurrentLayer (one direction) → Linear to the vocabulary
/// at every step. The final hidden (and cell) state of each <see cref="Forward"/> is kept as <see cref="HiddenState"/>
/// and fed as the initial state of the next call, so a long stream is read in consecutive chunks (truncated BPTT);
/// Backward never sends gradient into that carried state, which detaches it as <c>h.detach()</c> does in PyTorch.
/// </summary>
public sealed class LanguageModel<T> : TokenSequenceModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the model; a bidirectional core is refused (a language model must not see the next token).</summary>
    public LanguageModel(int vocabularySize, SequenceModelOptions options)
        : base(vocabularySize, vocabularySize, CheckUnidirectional(options)) { }

    private static SequenceModelOptions CheckUnidirectional(SequenceModelOptions options) =>
        options.Bidirectional ? throw new ArgumentException("A language model cannot be bidirectional: it would see the token it must predict.") : options;

    /// <summary>Vocabulary size V.</summary>
    public int VocabularySize => Embedding.NumEmbeddings;

    /// <summary>The carried hidden state (L, B, H), or null to start from zeros.</summary>
    public NdArray<T>? HiddenState { get; set; }

    /// <summary>The carried LSTM cell state (L, B, H), or null.</summary>
    public NdArray<T>? CellState { get; set; }

    /// <summary>Forgets the carried state (the next chunk starts from zeros).</summary>
    public void ResetState()
    {
        HiddenState = null;
        CellState = null;
    }

    /// <summary>
    /// Logits (T, B, V) for time-major token ids (<paramref name="tokens"/>[t·B + b]); starts from the carried state when
    /// its batch size matches, and carries the final state on.
    /// </summary>
    public NdArray<T> Forward(int[] tokens, int steps, int batch)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        // A state from another batch size, or one that diverged (its chunk's loss was already reported non-finite), is dropped.
        if (HiddenState is not null && (HiddenState.Shape[1] != batch || !AllFinite(HiddenState) || (CellState is not null && !AllFinite(CellState)))) ResetState();
        var embedded = Embedding.Forward(tokens, [steps, batch]);
        var result = Rnn.Forward(embedded, null, HiddenState, Options.Kind == RecurrentKind.Lstm ? CellState : null);
        HiddenState = result.Hn.Clone();
        CellState = result.Cn?.Clone();
        return Head.Forward(result.Output);
    }

    /// <summary>Back-propagates ∂L/∂logits (T, B, V) through this chunk only (the carried state is detached).</summary>
    public void Backward(NdArray<T> gradLogits)
    {
        var gradOutput = Head.Backward(gradLogits);
        var grads = Rnn.Backward(gradOutput);
        Embedding.Backward(grads.Input);
    }

    /// <summary>
    /// Generates <paramref name="count"/> token ids after reading <paramref name="prime"/> (at least one id): each next id
    /// is drawn from softmax(logits / temperature) restricted to the <paramref name="topK"/> most likely ids
    /// (all when null); temperature 0 picks the most likely id. Resets the carried state first and leaves it reset.
    /// </summary>
    public int[] Sample(int[] prime, int count, double temperature = 1.0, int? topK = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(prime);
        if (prime.Length == 0) throw new ArgumentException("Sampling needs at least one priming token.", nameof(prime));
        if (!(temperature >= 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be non-negative");
        if (topK is < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "must be at least 1");
        random ??= new Random(0);
        ResetState();
        var logits = Forward(prime, prime.Length, 1);
        int v = VocabularySize;
        var last = logits.Data.AsSpan((prime.Length - 1) * v, v).ToArray();
        var generated = new int[count];
        for (int i = 0; i < count; i++)
        {
            int next = Draw(last, temperature, topK, random);
            generated[i] = next;
            if (i + 1 < count) last = Forward([next], 1, 1).Data;
        }
        ResetState();
        return generated;
    }

    /// <summary>Character-level convenience: primes with <paramref name="prime"/> and returns the generated text.</summary>
    public string SampleText(SymbolVocabulary vocabulary, string prime, int length, double temperature = 1.0, int? topK = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (string.IsNullOrEmpty(prime)) prime = "\n";
        foreach (char c in prime)
            if (!vocabulary.Contains(c.ToString()))
                throw new ArgumentException($"The priming text holds '{c}' (U+{(int)c:X4}), which the model's vocabulary does not have.", nameof(prime));
        return vocabulary.Decode(Sample(vocabulary.EncodeCharacters(prime), length, temperature, topK, new Random(seed)));
    }

    private static bool AllFinite(NdArray<T> array)
    {
        foreach (T v in array.Data) if (!T.IsFinite(v)) return false;
        return true;
    }

    private static int Draw(T[] logits, double temperature, int? topK, Random random)
    {
        int v = logits.Length;
        if (temperature == 0) return Accuracy.ArgMaxRows<T>(logits, 1, v)[0];
        var scaled = new double[v];
        for (int j = 0; j < v; j++) scaled[j] = double.CreateChecked(logits[j]) / temperature;
        if (topK is int k && k < v)
        {
            var sorted = (double[])scaled.Clone();
            Array.Sort(sorted);
            double threshold = sorted[v - k];
            for (int j = 0; j < v; j++) if (scaled[j] < threshold) scaled[j] = double.NegativeInfinity;
        }
        double max = scaled.Max(), sum = 0;
        for (int j = 0; j < v; j++) { scaled[j] = Math.Exp(scaled[j] - max); sum += scaled[j]; }
        double u = random.NextDouble() * sum;
        for (int j = 0; j < v; j++)
        {
            u -= scaled[j];
            if (u < 0) return j;
        }
        for (int j = v - 1; j >= 0; j--) if (scaled[j] > 0) return j;
        return 0;
    }
}
