namespace Workbench.Notebooks.Magics;

/// <summary>
/// A piece of a polyglot cell, in cell order: either a magic line, or a run of code for one kernel. A kernel
/// selector line (<c>#!fsharp</c>, <c>#!value --name v</c>) starts a new run; its words go with the run as
/// <see cref="Selector"/>.
/// </summary>
/// <param name="Kernel">The kernel name the part belongs to.</param>
/// <param name="Magic">The magic line, for a magic part.</param>
/// <param name="Code">The code, for a code part: empty lines in front keep the cell's line numbers.</param>
/// <param name="Selector">The selector line that chose the kernel of a code part, when there was one.</param>
public sealed record CellPart(string Kernel, MagicLine? Magic, string? Code, MagicLine? Selector)
{
    /// <summary>
    /// Splits a cell. <paramref name="defaultKernel"/> runs code before any selector; <paramref name="kernelName"/>
    /// maps a magic name to a kernel name, or null when it is not a kernel.
    /// </summary>
    /// <exception cref="MagicException">A malformed magic line.</exception>
    public static IReadOnlyList<CellPart> Split(string cell, string defaultKernel, Func<string, string?> kernelName)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        var parts = new List<CellPart>();
        var kernel = defaultKernel;
        MagicLine? selector = null;
        var start = -1; // first line of the pending code run
        var selected = false; // a selector with options and no code still makes an empty part: #!value --name v stores ""

        void Flush(int end)
        {
            if (start >= 0)
            {
                var code = new string('\n', start) + string.Join('\n', lines[start..end]);
                if (!string.IsNullOrWhiteSpace(code) || selected) parts.Add(new CellPart(kernel, null, code, selector));
            }
            else if (selected) parts.Add(new CellPart(kernel, null, "", selector));
            start = -1;
            selected = false;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var magic = MagicLine.Parse(lines[i], i + 1);
            if (magic is null)
            {
                if (start < 0) start = i;
                continue;
            }
            Flush(i);
            if (kernelName(magic.Name) is { } name)
            {
                kernel = name;
                selector = magic;
                selected = magic.Words.Count > 0;
            }
            else parts.Add(new CellPart(kernel, magic, null, null));
        }
        Flush(lines.Length);
        return parts;
    }
}
