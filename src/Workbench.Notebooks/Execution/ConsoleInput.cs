namespace Workbench.Notebooks.Execution;

/// <summary>
/// Process-wide Console.In: inside a cell, reading a line asks the cell's front end (an input_request in Jupyter, an
/// <c>--input</c> answer in the runner); outside any cell it reads as empty, so nothing ever blocks on the real stdin.
/// </summary>
internal sealed class ConsoleInput : TextReader
{
    // Characters of the last answer not yet consumed by Read()/Peek() (ReadLine takes the rest of the line).
    private string _pending = "";

    public override string? ReadLine()
    {
        if (_pending.Length > 0)
        {
            var rest = _pending.TrimEnd('\n');
            _pending = "";
            return rest;
        }
        return Ask();
    }

    public override int Peek()
    {
        if (_pending.Length == 0 && Ask() is { } line) _pending = line + "\n";
        return _pending.Length == 0 ? -1 : _pending[0];
    }

    public override int Read()
    {
        var c = Peek();
        if (c >= 0) _pending = _pending[1..];
        return c;
    }

    private static string? Ask()
    {
        var session = NotebookSession.Current;
        if (session is null) return null;
        // A prompt written with Console.Write just before ReadLine is already on stdout (flushed by the request).
        return session.RequestInputAsync("", password: false).GetAwaiter().GetResult();
    }
}
