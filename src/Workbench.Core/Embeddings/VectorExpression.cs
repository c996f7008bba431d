namespace Workbench.Embeddings;

/// <summary>
/// A word-arithmetic query such as "king - man + woman": the words after '+' (and the first word) are positive,
/// those after '-' negative. <see cref="WordVectors.MostSimilar(IEnumerable{string}, IEnumerable{string}?, int, int?)"/>
/// answers it.
/// </summary>
/// <param name="Positive">Words added.</param>
/// <param name="Negative">Words subtracted.</param>
public sealed record VectorExpression(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative)
{
    /// <summary>
    /// Parses "a - b + c": operators stand alone between spaces, or prefix a word ("-man"); a word with no operator
    /// before it is positive (so "apple orange" is the list of both).
    /// </summary>
    /// <exception cref="FormatException">No word, two operators in a row, or a dangling operator.</exception>
    public static VectorExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var positive = new List<string>();
        var negative = new List<string>();
        string? pending = null;
        foreach (string token in expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token is "+" or "-")
            {
                if (pending is not null) throw new FormatException($"Two operators in a row ('{pending}' then '{token}') in '{expression}'.");
                pending = token;
                continue;
            }
            string word = token;
            bool negate = pending == "-";
            if (pending is null && token.Length > 1 && token[0] is '+' or '-')
            {
                negate = token[0] == '-';
                word = token[1..];
            }
            (negate ? negative : positive).Add(word);
            pending = null;
        }
        if (pending is not null) throw new FormatException($"The expression '{expression}' ends with the operator '{pending}'.");
        if (positive.Count + negative.Count == 0) throw new FormatException("The expression holds no word.");
        return new VectorExpression(positive, negative);
    }

    /// <summary>"king - man + woman" style text.</summary>
    public override string ToString() =>
        string.Join(" + ", Positive) + string.Concat(Negative.Select(w => " - " + w));
}
