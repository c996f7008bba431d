using System.Globalization;
using System.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>
/// Runs a saved recurrent layer (<see cref="RecurrentCheckpoint"/>) on tensors from a safetensors file, exactly as
/// PyTorch with batch_first=False in eval mode (whatever batch_first and dropout the checkpoint records), and when asked computes the vector–Jacobian product torch.autograd.backward gives.
/// </summary>
/// <remarks>
/// <para>The input file holds <c>input</c> (T, B, input_size); optionally <c>h0</c> and, for an LSTM, <c>c0</c>
/// (num_layers·D, B, hidden_size), and <c>lengths</c> (int64, B) for padded batches. With <c>grad_output</c>
/// (T, B, D·hidden_size) and optionally <c>grad_h_n</c>, <c>grad_c_n</c>, the result also holds <c>grad.input</c>,
/// <c>grad.h0</c>, <c>grad.c0</c> and <c>grad.&lt;parameter&gt;</c>. Other tensors are ignored. For an LSTM with
/// proj_size P &gt; 0, P replaces hidden_size in h0, h_n, their gradients and the output; c0 and c_n keep hidden_size.</para>
/// <para>The result holds <c>output</c> (zero at padded steps), <c>h_n</c> and, for an LSTM, <c>c_n</c>, with the
/// model's <c>arch</c> in its metadata. Every problem with the files is a <see cref="SafetensorsException"/> (or an
/// I/O error) naming the file and the tensor; nothing is written.</para>
/// </remarks>
public static class RecurrentInference
{
    /// <summary>Runs in float32 (PyTorch's default) or, with <paramref name="float64"/>, in float64.</summary>
    public static SafetensorsFile Run(string modelPath, string inputPath, bool float64) =>
        float64 ? Run<double>(modelPath, inputPath) : Run<float>(modelPath, inputPath);

    /// <summary>Loads, validates, runs forward (and backward when <c>grad_output</c> is given) and builds the result in memory.</summary>
    public static SafetensorsFile Run<T>(string modelPath, string inputPath) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The input file is time-major whatever layout the model was saved with, and inference never drops out.
        SafetensorsFile model = SafetensorsFile.Load(modelPath);
        var layer = new RecurrentLayer<T>(RecurrentCheckpoint.ReadOptions(model) with { BatchFirst = false }) { Training = false };
        RecurrentCheckpoint.LoadInto(model, layer);
        foreach (Parameter<T> p in layer.Parameters) RequireFinite(modelPath, p.Name, p.Value);
        SafetensorsFile file = SafetensorsFile.Load(inputPath);
        RecurrentLayerOptions o = layer.Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        int layersTimesDirections = o.NumLayers * o.NumDirections, outputWidth = o.NumDirections * o.StateSize;

        SafetensorsTensor inputTensor = file["input"];
        if (inputTensor.Shape.Length != 3 || inputTensor.Shape[2] != o.InputSize || inputTensor.Shape[0] < 1 || inputTensor.Shape[1] < 1)
            throw new SafetensorsException(inputPath, "input",
                $"has shape {NdArray<float>.FormatShape(inputTensor.Shape)}, expected (T, B, {o.InputSize}) with T, B ≥ 1 (the model's input_size is {o.InputSize}).");
        int steps = inputTensor.Shape[0], batch = inputTensor.Shape[1];
        // h is proj_size wide in a projected LSTM; c keeps hidden_size.
        int[] stateShape = [layersTimesDirections, batch, o.StateSize], cellShape = [layersTimesDirections, batch, o.HiddenSize];

        NdArray<T> x = Read<T>(file, inputPath, "input", inputTensor.Shape);
        NdArray<T>? h0 = Optional<T>(file, inputPath, "h0", stateShape);
        if (!lstm) RejectCellState(file, inputPath, o.Kind, "c0");
        NdArray<T>? c0 = lstm ? Optional<T>(file, inputPath, "c0", cellShape) : null;
        // PyTorch's LSTM takes (h0, c0) together or neither; a lone h0 would silently pair with a zero cell state.
        if (lstm && (h0 is null) != (c0 is null))
            throw new SafetensorsException(inputPath, h0 is null ? "c0" : "h0", $"an LSTM takes 'h0' and 'c0' together (as torch.nn.LSTM's (h0, c0)); the file has only '{(h0 is null ? "c0" : "h0")}'.");
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
        NdArray<T>? gradCn = lstm ? Optional<T>(file, inputPath, "grad_c_n", cellShape) : null;
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
        int first = value.IndexOfNonFinite();
        if (first < 0) return;
        string position = string.Join(", ", value.Unravel(first).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        throw new SafetensorsException(path, name, $"holds {value.Data[first]} at [{position}]: every value must be finite.");
    }
}
