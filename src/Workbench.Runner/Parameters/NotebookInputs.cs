using System.Text.Json;

namespace Workbench.Runner.Parameters;

/// <summary>The answers a headless run gives to cells that ask for input: <c>--input prompt=value</c> and <c>--inputs FILE</c>.</summary>
public static class NotebookInputs
{
    /// <summary>
    /// The answers by prompt: those of <paramref name="file"/> (a JSON object, prompt → answer) first, then each
    /// <c>prompt=value</c> (split at the first '=', so a prompt holding '=' goes in the file; "=value" answers the empty
    /// prompt of Console.ReadLine()); a later answer wins.
    /// </summary>
    /// <exception cref="NotebookParameterException">A malformed assignment, or an unreadable or malformed file.</exception>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> assignments, string? file)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new NotebookParameterException($"--inputs {file}: expected a JSON object of prompt → answer");
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String)
                        throw new NotebookParameterException($"--inputs {file}: the answer to '{p.Name}' is not a string");
                    answers[p.Name] = p.Value.GetString()!;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new NotebookParameterException($"--inputs {file}: {e.Message}");
            }
        }
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=');
            if (eq < 0) throw new NotebookParameterException($"--input '{a}' is not of the form prompt=value");
            answers[a[..eq]] = a[(eq + 1)..];
        }
        return answers;
    }
}
