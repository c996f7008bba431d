namespace Workbench.Training;

/// <summary>Training met a NaN or infinite loss or gradient; the message names the step and the parameter.</summary>
public sealed class NonFiniteValueException : Exception
{
    /// <summary>The 0-based step at which it happened.</summary>
    public long Step { get; }

    /// <summary>The parameter whose gradient is not finite (its qualified state_dict key), or null when it is the loss.</summary>
    public string? ParameterName { get; }

    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(long step, string? parameterName, string detail)
        : base(parameterName is null
            ? $"Step {step}: the loss is {detail}; training stopped (use NonFinitePolicy.SkipStep to skip such steps)."
            : $"Step {step}: the gradient of parameter '{parameterName}' is {detail}; training stopped (use NonFinitePolicy.SkipStep to skip such steps).")
    {
        Step = step;
        ParameterName = parameterName;
    }
}
