using System.Text;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// A cell's stdout and stderr buffers. Text reaches <see cref="ICellOutput.Stream"/> in chunks: every 50 ms, when a
/// buffer passes 8 KiB, before a display (so outputs keep their order), and when the cell ends. Text written after the
/// cell ended (by a task or timer it started) goes where the session's output goes now, as ipykernel does: to the
/// running cell, or when none runs, to the last one.
/// </summary>
internal sealed class CellStreams : IDisposable
{
    private const int MaxBuffered = 8192;
    private readonly ICellOutput _output;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _flushLock = new();
    private readonly Timer _timer;
    private readonly Func<CellStreams?>? _afterEnd;
    private volatile bool _ended;

    public CellStreams(ICellOutput output, Func<CellStreams?>? afterEnd = null)
    {
        _output = output;
        _afterEnd = afterEnd;
        _timer = new Timer(_ => Flush(), null, 50, 50);
    }

    public void Write(string name, string text)
    {
        if (_ended && _afterEnd?.Invoke() is { } now && !ReferenceEquals(now, this))
        {
            now.Write(name, text);
            return;
        }
        bool full;
        var buffer = name == "stderr" ? _stderr : _stdout;
        lock (buffer)
        {
            buffer.Append(text);
            full = buffer.Length >= MaxBuffered;
        }
        if (full || _ended) Flush(); // ended while writing: nothing flushes this buffer any more
    }

    public void Flush()
    {
        lock (_flushLock)
        {
            Drain("stdout", _stdout);
            Drain("stderr", _stderr);
        }
    }

    private void Drain(string name, StringBuilder buffer)
    {
        string text;
        lock (buffer)
        {
            if (buffer.Length == 0) return;
            text = buffer.ToString();
            buffer.Clear();
        }
        _output.Stream(name, text);
    }

    public void Dispose()
    {
        _ended = true;
        _timer.Dispose();
        Flush();
    }
}
