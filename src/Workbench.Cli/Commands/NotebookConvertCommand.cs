using System.CommandLine;
using Workbench.Runner.Files;
using Workbench.Runner.Nbformat;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>notebook convert IN OUT [--eol lf|crlf]</c>: .dib ⇄ .ipynb (by extension), keeping cell kinds, languages and
/// metadata; a .dib keeps no outputs. Exit codes: 0 written, 1 unreadable input or unwritable output, 2 bad arguments.
/// </summary>
internal static class NotebookConvertCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "The notebook to read (.ipynb or .dib)." };
        var output = new Argument<string>("output") { Description = "The file to write (.ipynb or .dib)." };
        var eol = new Option<string?>("--eol") { Description = "Line ends of a .dib output: lf or crlf (default: those of a .dib input, else lf)." };
        eol.AcceptOnlyFromAmong("lf", "crlf");
        var command = new Command("convert", "Convert between .dib (Polyglot Notebooks) and .ipynb (Jupyter).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(eol);
        command.SetAction(parse =>
        {
            var source = parse.GetValue(input)!;
            var target = parse.GetValue(output)!;
            foreach (var path in new[] { source, target })
                if (!NotebookFile.IsDib(path) && !NotebookFile.IsIpynb(path))
                    return Usage($"'{path}' is neither .ipynb nor .dib");
            if (Path.GetFullPath(source) == Path.GetFullPath(target)) return Usage("the output must be another file than the input");
            try
            {
                var cells = NotebookFile.Convert(source, target, parse.GetValue(eol) switch { "crlf" => "\r\n", "lf" => "\n", _ => null });
                Console.WriteLine($"{source}: {cells} cells written to {target}");
                return 0;
            }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine($"workbench notebook convert: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"workbench notebook convert: {target}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"workbench notebook convert: {message}");
        return Program.UsageError;
    }
}
