using System.CommandLine;
using Workbench.CommandLine;
using Workbench.Checkpoints;
using Workbench.Onnx;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>export</c> verb: a trained model (a run folder) or a recurrent checkpoint (.safetensors) written in another
/// format; today ONNX, through <see cref="OnnxExport"/>.
/// </summary>
internal static class ExportCommand
{
    private const string Help = """
        Export a trained model for other runtimes.
        RUN_OR_CHECKPOINT: a run folder (the whole model: embedding or features, recurrent layers, head) or a recurrent
        checkpoint .safetensors (the layer alone, as `workbench infer` reads it).
        --to onnx: ONNX (opset 14) built from ONNX's own RNN, GRU and LSTM operators; inputs tokens (int64) or input
        (float), sequence_lens (int32), h0 (and c0); outputs logits, predictions or output, h_n (and c_n).
        """;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var source = new Argument<string>("RUN_OR_CHECKPOINT") { Description = "A run folder or a recurrent checkpoint (.safetensors)." };
        var format = new Option<string>("--to") { Description = "The format to write: onnx.", Required = true };
        Usage.OneOf(format, "onnx");
        var output = new Option<string>("--output", "-o") { Description = "The file to write (atomically).", Required = true };
        var noLengths = new Option<bool>("--no-sequence-lens") { Description = "Leave out the sequence_lens input (every sequence is full length)." };
        var noStates = new Option<bool>("--no-initial-states") { Description = "Leave out the h0/c0 inputs (the layers start from zeros)." };
        var command = new Command("export", Help);
        command.Arguments.Add(source);
        foreach (Option option in new Option[] { format, output, noLengths, noStates }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(source)!, parse.GetValue(output)!,
            new OnnxExportOptions { SequenceLengths = !parse.GetValue(noLengths), InitialStates = !parse.GetValue(noStates) }, Console.Out));
        return command;
    }

    /// <summary>Runs the verb; a source that cannot be read is one line on stderr and exit code 2.</summary>
    internal static int Run(string source, string output, OnnxExportOptions options, TextWriter stdout)
    {
        try
        {
            string what;
            if (Directory.Exists(source))
            {
                var model = RunFolder.LoadTrained(source).Model;
                OnnxExport.Save(model, output, options);
                what = $"{model.GetType().Name.Split('`')[0]} over {model.Rnn}";
            }
            else if (File.Exists(source))
            {
                var layer = RecurrentCheckpoint.Load<float>(SafetensorsFile.Load(source));
                OnnxExport.Save(layer, output, options);
                what = layer.ToString();
            }
            else return Usage.Error("export", $"{source}: no such run folder or checkpoint file");
            stdout.WriteLine($"workbench export: wrote {output} (ONNX opset {OnnxExport.OpsetVersion}: {what})");
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or InvalidDataException or ArgumentException or SafetensorsException)
        {
            return Usage.Error("export", e.Message);
        }
    }
}
