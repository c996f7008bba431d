using System.Text;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// A cell's stdout and stderr buffers. Text reaches <see cref="ICellOutput.Stream"/> in chunks: every 50 ms, when a
/// buffer passes 8 KiB, before a display (so outputs keep their order), and when the cell ends.
/// </summary>
internal sealed class CellStreams : IDisposable
{
    private const int MaxBuffered = 8192;
    private readonly ICellOutput _output;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _flushLock = new();
    private readonly Timer _timer;

    public CellStreams(ICellOutput output)
    {
        _output = output;
        _timer = new Timer(_ => Flush(), null, 50, 50);
    }

    public void Write(string name, string text)
    {
        bool full;
        var buffer = name == "stderr" ? _stderr : _stdout;
        lock (buffer)
        {
            buffer.Append(text);
            full = buffer.Length >= MaxBuffered;
        }
        if (full) Flush();
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
        _timer.Dispose();
        Flush();
    }
}
