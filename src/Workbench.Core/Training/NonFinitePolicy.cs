namespace Workbench.Training;

/// <summary>What the trainer does when a loss or a gradient is NaN or infinite.</summary>
public enum NonFinitePolicy
{
    /// <summary>Stop with a <see cref="NonFiniteValueException"/> naming the step and the parameter.</summary>
    Throw,

    /// <summary>Discard that step's gradients (no update), report it, and go on.</summary>
    SkipStep,
}
