using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbench.Host;

/// <summary>
/// The one error path of every workbench verb (both executables): a parse error or bad input found while the verb
/// runs becomes one line, <c>workbench VERB: message</c>, on stderr and exit code 2. Messages name what was wrong:
/// the nearest verb for a mistyped one, the option and value that do not parse, the file that is missing or is a
/// folder, the output folder that does not exist.
/// </summary>
public static partial class VerbErrors
{
    /// <summary>Exit code for bad arguments and bad input files, for every verb.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses <paramref name="args"/> with <paramref name="root"/> and invokes the verb. Exceptions that mean bad input
    /// (missing or unreadable files, malformed content: see <see cref="IsBadInput"/>, plus whatever
    /// <paramref name="isBadInput"/> adds) are reported as one line with exit code 2; anything else is a bug and
    /// propagates with its stack trace.
    /// </summary>
    public static int Run(RootCommand root, string[] args, Func<Exception, bool>? isBadInput = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) return Report(VerbOf(parsed), DescribeParseError(parsed, root, args));
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e) || isBadInput?.Invoke(e) == true)
        {
            return Report(VerbOf(parsed), Explain(e, parsed));
        }
    }

    /// <summary>Prints <c>workbench VERB: message</c> (one line) and returns <see cref="UsageError"/>.</summary>
    /// <param name="verb">The verb as typed (<c>train</c>, <c>notebook run</c>), or null for the command itself.</param>
    /// <param name="message">What was wrong and where.</param>
    public static int Report(string? verb, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string prefix = verb is null ? "workbench" : $"workbench {verb}";
        string line = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Console.Error.WriteLine($"{prefix}: {line}");
        return UsageError;
    }

    /// <summary>Exceptions that mean the input is wrong rather than the program: missing, unreadable or malformed files and values.</summary>
    public static bool IsBadInput(Exception e) => e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or InvalidDataException or FormatException or JsonException or PathTooLongException;

    /// <summary>The verb of a parse result as typed, e.g. <c>notebook run</c>; null at the root.</summary>
    public static string? VerbOf(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null && result.Parent is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return names.Count == 0 ? null : string.Join(' ', names);
    }

    private static string DescribeParseError(ParseResult parsed, RootCommand root, string[] args)
    {
        string message = parsed.Errors[0].Message;
        // A mistyped verb: name the nearest one.
        if (args.Length > 0 && parsed.CommandResult.Command == root && !args[0].StartsWith('-')
            && !root.Subcommands.Any(c => c.Name == args[0]))
        {
            var verbs = root.Subcommands.Select(c => c.Name).ToList();
            string? nearest = verbs.OrderBy(v => Distance(v, args[0])).FirstOrDefault(v => Distance(v, args[0]) <= Math.Max(2, args[0].Length / 3));
            return nearest is not null
                ? $"unknown verb '{args[0]}'; did you mean '{nearest}'? (see 'workbench --help')"
                : $"unknown verb '{args[0]}'; the verbs are {string.Join(", ", verbs)} (see 'workbench --help')";
        }
        var cannotParse = CannotParse().Match(message);
        if (cannotParse.Success)
        {
            string type = cannotParse.Groups["type"].Value;
            string kind = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false" : "a valid value";
            return $"{cannotParse.Groups["option"].Value}: '{cannotParse.Groups["value"].Value}' is not {kind}";
        }
        return $"{message} (see 'workbench {VerbOf(parsed)} --help')".Replace("workbench  --help", "workbench --help", StringComparison.Ordinal);
    }

    private static string Explain(Exception e, ParseResult parsed)
    {
        // A folder where a file was expected: the OS says "access denied" or "is a directory"; say what happened.
        foreach (string value in parsed.Tokens.Select(t => t.Value).Where(v => v.Length > 0))
        {
            string full;
            try { full = Path.GetFullPath(value); } catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException) { continue; }
            if (Directory.Exists(full) && e is UnauthorizedAccessException or IOException && (e.Message.Contains(full, StringComparison.Ordinal) || e.Message.Contains(value, StringComparison.Ordinal)))
                return $"'{value}' is a folder; a file is expected there.";
        }
        // A temporary file of an atomic write names a folder that does not exist: name the folder, not the temporary.
        var temporary = TemporaryPath().Match(e.Message);
        if (e is DirectoryNotFoundException && temporary.Success)
            return $"the output folder '{Path.GetDirectoryName(temporary.Groups["target"].Value)}' does not exist.";
        if (e is FileNotFoundException { FileName: { } file } && !e.Message.Contains(file, StringComparison.Ordinal))
            return $"{file}: {e.Message}";
        return e.Message;
    }

    // Levenshtein distance, for "did you mean".
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"'(?<target>[^']+)\.tmp-[0-9a-fA-F]+'")]
    private static partial Regex TemporaryPath();
}
