using Workbench.Notebooks.Mime;

namespace Workbench.Notebooks.Display;

/// <summary>
/// A LaTeX math expression shown as display math (text/latex), e.g. <c>new Latex(@"h_t = \tanh(W x_t + U h_{t-1} + b)")</c>.
/// The expression is wrapped in <c>$$ … $$</c> unless it already starts with a math delimiter or <c>\begin</c>.
/// </summary>
/// <param name="Expression">The LaTeX source.</param>
public sealed record Latex(string Expression) : IMimeRenderable
{
    /// <summary>The text/latex representation: the expression with display-math delimiters.</summary>
    public string Delimited
    {
        get
        {
            var e = Expression.Trim();
            return e.StartsWith('$') || e.StartsWith(@"\[", StringComparison.Ordinal) || e.StartsWith(@"\(", StringComparison.Ordinal)
                || e.StartsWith(@"\begin", StringComparison.Ordinal)
                ? e
                : "$$" + e + "$$";
        }
    }

    /// <inheritdoc/>
    public MimeBundle ToMimeBundle() => new MimeBundle().Add("text/latex", Delimited).Add("text/plain", Expression);

    /// <summary>The LaTeX source.</summary>
    public override string ToString() => Expression;
}
