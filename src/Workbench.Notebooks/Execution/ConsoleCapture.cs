using System.Text;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// Process-wide Console.Out/Console.Error replacement that routes writes to the running cell's streams. The route
/// is an <see cref="AsyncLocal{T}"/>, so it follows the cell into awaits, tasks and threads it starts, and several
/// sessions in one process (tests, runner) keep their outputs apart. Writes outside any cell go to the original console.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly object InstallLock = new();
    private static bool _installed;

    /// <summary>The streams of the cell running on this logical call context, if any.</summary>
    public static readonly AsyncLocal<CellStreams?> Current = new();

    private readonly string _name;
    private readonly TextWriter _fallback;

    private ConsoleCapture(string name, TextWriter fallback)
    {
        _name = name;
        _fallback = fallback;
    }

    /// <summary>Replaces Console.Out and Console.Error once per process; Console.In asks the running cell's front end.</summary>
    public static void Install()
    {
        lock (InstallLock)
        {
            if (_installed) return;
            Console.SetOut(new ConsoleCapture("stdout", Console.Out));
            Console.SetError(new ConsoleCapture("stderr", Console.Error));
            // Console.ReadLine() in a cell asks its front end; outside a cell it returns null instead of blocking.
            Console.SetIn(new ConsoleInput());
            _installed = true;
        }
    }

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (Current.Value is { } s) s.Write(_name, value.ToString());
        else _fallback.Write(value);
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null) return;
        if (Current.Value is { } s) s.Write(_name, value);
        else _fallback.Write(value);
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    /// <inheritdoc/>
    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    /// <inheritdoc/>
    public override void Flush()
    {
        if (Current.Value is { } s) s.Flush();
        else _fallback.Flush();
    }
}
