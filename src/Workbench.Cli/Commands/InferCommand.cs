using System.CommandLine;
using Workbench.Checkpoints;
using Workbench.Tensors;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>infer</c> verb: parses the three paths and the precision, runs <see cref="RecurrentInference"/> (a saved
/// recurrent layer on tensors from a safetensors file, as PyTorch), saves its result and prints one line.
/// </summary>
internal static class InferCommand
{
    /// <summary>Exit code when the files or tensors are wrong (bad arguments exit with <see cref="Program.UsageError"/>).</summary>
    public const int Failure = 1;

    private const string Help = """
        Run a saved recurrent model on tensors from a safetensors file.
        MODEL: a recurrent checkpoint (PyTorch state_dict names + __metadata__ arch, input_size, hidden_size, num_layers, bidirectional).
        IN: 'input' (T, B, input_size); optional 'h0' and, for an LSTM, 'c0' (num_layers*D, B, hidden_size); optional
        'lengths' (int64, B) for padded batches. With 'grad_output' (T, B, D*hidden_size) and optionally 'grad_h_n',
        'grad_c_n', OUT also gets 'grad.input', 'grad.h0', 'grad.c0' and 'grad.<parameter>'. Other tensors in IN are ignored.
        OUT: 'output' (T, B, D*hidden_size, zero at padded steps), 'h_n' and, for an LSTM, 'c_n'; written atomically.
        """;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The model checkpoint (.safetensors).", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "The input tensors (.safetensors).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Where to write the results (.safetensors).", Required = true };
        var precision = new Option<string>("--precision")
        {
            Description = "Arithmetic and output dtype: float32 (as PyTorch's default) or float64.",
            DefaultValueFactory = _ => "float32",
        };
        precision.AcceptOnlyFromAmong("float32", "float64");
        var command = new Command("infer", Help);
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(precision);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(model)!.FullName, parseResult.GetValue(input)!.FullName, parseResult.GetValue(output)!.FullName,
            parseResult.GetValue(precision) == "float64", Console.Out, Console.Error));
        return command;
    }

    /// <summary>Runs the verb; on failure prints one line to <paramref name="error"/>, writes no output file and returns <see cref="Failure"/>.</summary>
    internal static int Run(string modelPath, string inputPath, string outputPath, bool float64, TextWriter output, TextWriter error)
    {
        try
        {
            SafetensorsFile result = RecurrentInference.Run(modelPath, inputPath, float64);
            result.Save(outputPath);
            output.WriteLine($"workbench infer: wrote {outputPath} ({string.Join(", ", result.Tensors.Select(t => t.Name + NdArray<float>.FormatShape(t.Shape)))})");
            return 0;
        }
        // Missing files and folders given for files are not caught here: the common path reports them (exit 2).
        catch (Exception ex) when (ex is SafetensorsException or ArgumentException or IOException
                                       or InvalidDataException or NotSupportedException or OverflowException
                                   && ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            string message = ex.Message.ReplaceLineEndings(" ");
            error.WriteLine($"workbench infer: {message}");
            return Failure;
        }
    }
}
