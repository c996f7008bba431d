using System.Text;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// The writer F# Interactive reports to. Its text goes to the process's Console.Out or Console.Error as it stands when
/// written, which the session's console capture routes to the running cell's streams. F# Interactive's own
/// bookkeeping ("Stopped due to error", which only repeats what the cell's error already says) is dropped; with
/// <c>--quiet</c> it prints no "val x: int = 1" lines, so what remains is what a cell itself asks to print.
/// </summary>
internal sealed class FsiWriter : TextWriter
{
    private static readonly string[] Chatter = { "Stopped due to error" };

    private readonly bool _error;
    private readonly StringBuilder _line = new();

    public FsiWriter(bool error) => _error = error;

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        string? complete = null;
        lock (_line)
        {
            _line.Append(value);
            if (value == '\n')
            {
                complete = _line.ToString();
                _line.Clear();
            }
        }
        if (complete is not null) Forward(complete);
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (var c in value) Write(c);
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void Flush()
    {
        string rest;
        lock (_line)
        {
            rest = _line.ToString();
            _line.Clear();
        }
        if (rest.Length > 0) Forward(rest);
    }

    private void Forward(string text)
    {
        if (Array.Exists(Chatter, c => text.TrimEnd() == c)) return;
        (_error ? Console.Error : Console.Out).Write(text);
    }
}
