namespace Workbench.Notebooks.Execution;

/// <summary>
/// What <see cref="CellContext.display(object?)"/> returns: the id of one display output, and <see cref="Update(object?)"/>
/// to replace that output in place (update_display_data), from the same cell or a later one.
/// </summary>
public sealed class DisplayHandle
{
    private readonly CellContext _context;

    internal DisplayHandle(CellContext context, string displayId)
    {
        _context = context;
        DisplayId = displayId;
    }

    /// <summary>The display id shared by the output and its updates.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed value with <paramref name="value"/>, formatted by the session's formatters.</summary>
    public void Update(object? value) => _context.Publish(_context.Session.Format(value), DisplayId, update: true);

    /// <summary>Replaces the displayed value with raw <paramref name="content"/> of the given MIME type.</summary>
    public void Update(string content, string mimeType) => _context.Publish(CellContext.Raw(content, mimeType), DisplayId, update: true);

    /// <inheritdoc/>
    public override string ToString() => $"display {DisplayId}";
}
