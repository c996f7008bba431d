namespace Microsoft.DotNet.Interactive;

/// <summary>
/// A secret typed by the user (<c>Kernel.GetPasswordAsync</c>, <c>@password:</c>): it prints as asterisks so that
/// displaying or logging it by accident does not leak it; <see cref="GetClearTextPassword"/> gives the text.
/// </summary>
public class PasswordString
{
    private readonly string _clearTextPassword;

    /// <summary>Wraps a secret.</summary>
    public PasswordString(string clearTextPassword) => _clearTextPassword = clearTextPassword;

    /// <summary>The secret as typed.</summary>
    public string GetClearTextPassword() => _clearTextPassword;

    /// <summary>Asterisks, never the secret.</summary>
    public override string ToString() => "************";
}
