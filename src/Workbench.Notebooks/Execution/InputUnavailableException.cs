namespace Workbench.Notebooks.Execution;

/// <summary>A cell asked for input that its front end cannot (or was told not to) answer.</summary>
public sealed class InputUnavailableException : InvalidOperationException
{
    /// <summary>Creates the error for <paramref name="prompt"/>, with the reason.</summary>
    public InputUnavailableException(string prompt, string reason)
        : base($"{reason}: the cell asked for input '{prompt}'")
    {
        Prompt = prompt;
    }

    /// <summary>The prompt that got no answer.</summary>
    public string Prompt { get; }
}
