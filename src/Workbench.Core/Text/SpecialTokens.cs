namespace Workbench.Text;

/// <summary>The reserved tokens a vocabulary puts first: padding (id 0), unknown (1), begin (2) and end (3).</summary>
/// <param name="Padding">Fills short sequences in a batch.</param>
/// <param name="Unknown">Stands for every token outside the vocabulary.</param>
/// <param name="Begin">Marks the start of a sequence.</param>
/// <param name="End">Marks the end of a sequence.</param>
public sealed record SpecialTokens(string Padding = "<pad>", string Unknown = "<unk>", string Begin = "<bos>", string End = "<eos>")
{
    /// <summary>The usual four: &lt;pad&gt;, &lt;unk&gt;, &lt;bos&gt;, &lt;eos&gt;.</summary>
    public static SpecialTokens Default { get; } = new();

    /// <summary>The four tokens in id order.</summary>
    public IReadOnlyList<string> All => [Padding, Unknown, Begin, End];
}
