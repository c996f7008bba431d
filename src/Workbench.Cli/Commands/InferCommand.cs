using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>infer</c> verb: runs a saved recurrent layer on tensors from a safetensors file, exactly as PyTorch with
/// batch_first=False, and optionally computes the vector–Jacobian product torch.autograd.backward would give.
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
            SafetensorsFile result = float64 ? Infer<double>(modelPath, inputPath) : Infer<float>(modelPath, inputPath);
            result.Save(outputPath);
            output.WriteLine($"workbench infer: wrote {outputPath} ({string.Join(", ", result.Tensors.Select(t => t.Name + NdArray<float>.FormatShape(t.Shape)))})");
            return 0;
        }
        catch (Exception ex) when (ex is SafetensorsException or ArgumentException or IOException or UnauthorizedAccessException
                                       or InvalidDataException or NotSupportedException or OverflowException)
        {
            string message = ex.Message.ReplaceLineEndings(" ");
            error.WriteLine($"workbench infer: {message}");
            return Failure;
        }
    }

    /// <summary>Loads, validates, runs forward (and backward when asked) and builds the output file in memory.</summary>
    private static SafetensorsFile Infer<T>(string modelPath, string inputPath) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RecurrentLayer<T> layer = RecurrentCheckpoint.Load<T>(modelPath);
        foreach (Parameter<T> p in layer.Parameters) RequireFinite(modelPath, p.Name, p.Value);
        SafetensorsFile file = SafetensorsFile.Load(inputPath);
        RecurrentLayerOptions o = layer.Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        int layersTimesDirections = o.NumLayers * o.NumDirections, outputWidth = o.NumDirections * o.HiddenSize;

        SafetensorsTensor inputTensor = file["input"];
        if (inputTensor.Shape.Length != 3 || inputTensor.Shape[2] != o.InputSize || inputTensor.Shape[0] < 1 || inputTensor.Shape[1] < 1)
            throw new SafetensorsException(inputPath, "input",
                $"has shape {NdArray<float>.FormatShape(inputTensor.Shape)}, expected (T, B, {o.InputSize}) with T, B ≥ 1 (the model's input_size is {o.InputSize}).");
        int steps = inputTensor.Shape[0], batch = inputTensor.Shape[1];
        int[] stateShape = [layersTimesDirections, batch, o.HiddenSize];

        NdArray<T> x = Read<T>(file, inputPath, "input", inputTensor.Shape);
        NdArray<T>? h0 = Optional<T>(file, inputPath, "h0", stateShape);
        if (!lstm) RejectCellState(file, inputPath, o.Kind, "c0");
        NdArray<T>? c0 = lstm ? Optional<T>(file, inputPath, "c0", stateShape) : null;
        int[]? lengths = file.Contains("lengths") ? ReadLengths(file, inputPath, steps, batch) : null;

        RecurrentOutput<T> forward = layer.Forward(x, lengths, h0, c0);
        var result = new SafetensorsFile();
        result.Metadata["arch"] = RecurrentCheckpoint.Metadata(o)["arch"];
        result.Add("output", forward.Output);
        result.Add("h_n", forward.Hn);
        if (forward.Cn is not null) result.Add("c_n", forward.Cn);

        if (!file.Contains("grad_output"))
        {
            foreach (string name in (string[])["grad_h_n", "grad_c_n"])
                if (file.Contains(name))
                    throw new SafetensorsException(inputPath, name, "was given without 'grad_output' (give grad_output, zeros if need be, to ask for gradients).");
            return result;
        }
        NdArray<T> gradOutput = Read<T>(file, inputPath, "grad_output", [steps, batch, outputWidth]);
        NdArray<T>? gradHn = Optional<T>(file, inputPath, "grad_h_n", stateShape);
        if (!lstm) RejectCellState(file, inputPath, o.Kind, "grad_c_n");
        NdArray<T>? gradCn = lstm ? Optional<T>(file, inputPath, "grad_c_n", stateShape) : null;
        layer.ZeroGrad();
        RecurrentGradients<T> grads = layer.Backward(gradOutput, gradHn, gradCn);
        result.Add("grad.input", grads.Input);
        result.Add("grad.h0", grads.H0);
        if (grads.C0 is not null) result.Add("grad.c0", grads.C0);
        foreach (Parameter<T> p in layer.Parameters) result.Add("grad." + p.Name, p.Grad);
        return result;
    }

    private static NdArray<T> Read<T>(SafetensorsFile file, string path, string name, int[] shape) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        NdArray<T> value = file.GetArray<T>(name, shape);
        RequireFinite(path, name, value);
        return value;
    }

    private static NdArray<T>? Optional<T>(SafetensorsFile file, string path, string name, int[] shape) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => file.Contains(name) ? Read<T>(file, path, name, shape) : null;

    private static void RejectCellState(SafetensorsFile file, string path, RecurrentKind kind, string name)
    {
        if (file.Contains(name))
            throw new SafetensorsException(path, name, $"is a cell state, but the model is {kind}: only an LSTM has one.");
    }

    private static int[] ReadLengths(SafetensorsFile file, string path, int steps, int batch)
    {
        SafetensorsTensor tensor = file["lengths"];
        if (tensor.IsFloatingPoint)
            throw new SafetensorsException(path, "lengths", $"holds {tensor.DType} numbers, expected int64 lengths.");
        if (tensor.Shape.Length != 1 || tensor.Shape[0] != batch)
            throw new SafetensorsException(path, "lengths", $"has shape {NdArray<float>.FormatShape(tensor.Shape)}, expected ({batch},) (one length per sequence).");
        long[] values = tensor.ToInt64();
        var lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            if (values[b] < 1 || values[b] > steps)
                throw new SafetensorsException(path, "lengths", $"lengths[{b}] = {values[b]} is outside 1..{steps} (input has {steps} steps).");
            lengths[b] = (int)values[b];
        }
        return lengths;
    }

    private static void RequireFinite<T>(string path, string name, NdArray<T> value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] data = value.Data;
        for (int i = 0; i < data.Length; i++)
        {
            if (T.IsFinite(data[i])) continue;
            var index = new int[value.Rank];
            for (int axis = value.Rank - 1, flat = i; axis >= 0; axis--)
            {
                index[axis] = flat % value.Shape[axis];
                flat /= value.Shape[axis];
            }
            string position = string.Join(", ", index.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            throw new SafetensorsException(path, name, $"holds {data[i]} at [{position}]: every value must be finite.");
        }
    }
}
