namespace Workbench.Training;

/// <summary>
/// Training met a NaN or infinite loss, gradient, or updated parameter value; the message names the step and the
/// parameter. The parameters are left as they were before the offending update, so the model stays usable.
/// </summary>
public sealed class NonFiniteValueException : Exception
{
    /// <summary>The 0-based step at which it happened.</summary>
    public long Step { get; }

    /// <summary>The parameter (its qualified state_dict key) whose gradient or new value is not finite, or null when it is the loss.</summary>
    public string? ParameterName { get; }

    /// <summary>True when the gradients were finite but the optimizer's update overflowed the parameter.</summary>
    public bool InUpdate { get; }

    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(long step, string? parameterName, string detail, bool inUpdate = false)
        : base((parameterName, inUpdate) switch
        {
            (null, _) => $"Step {step}: the loss is {detail}; training stopped (use NonFinitePolicy.SkipStep to skip such steps).",
            (_, false) => $"Step {step}: the gradient of parameter '{parameterName}' is {detail}; training stopped (use NonFinitePolicy.SkipStep to skip such steps).",
            _ => $"Step {step}: the update made parameter '{parameterName}' {detail} (learning rate too high?); the update was undone and training stopped.",
        })
    {
        Step = step;
        ParameterName = parameterName;
        InUpdate = inUpdate;
    }
}
