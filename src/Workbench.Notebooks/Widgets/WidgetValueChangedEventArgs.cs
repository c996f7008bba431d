namespace Workbench.Notebooks.Widgets;

/// <summary>A widget's value changed, from <see cref="OldValue"/> to <see cref="NewValue"/>, set by a cell or by a front end.</summary>
public sealed class WidgetValueChangedEventArgs<T>(T oldValue, T newValue, bool fromFrontEnd) : EventArgs
{
    /// <summary>The value before.</summary>
    public T OldValue { get; } = oldValue;

    /// <summary>The value now.</summary>
    public T NewValue { get; } = newValue;

    /// <summary>True when a front end (the user moving a slider) set it, false when kernel code did.</summary>
    public bool FromFrontEnd { get; } = fromFrontEnd;
}
