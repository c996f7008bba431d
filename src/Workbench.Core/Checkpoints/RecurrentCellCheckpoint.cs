using System.Globalization;
using System.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>
/// A single-step cell module (<see cref="RecurrentCellLayer{T}"/>) as a safetensors file that PyTorch's
/// <c>nn.RNNCell</c>, <c>nn.GRUCell</c> or <c>nn.LSTMCell</c> loads with <c>load_state_dict(strict=True)</c>: the
/// tensors are the cell's state_dict (<c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c>, <c>bias_hh</c>) and
/// <c>__metadata__</c> holds <c>arch</c> (rnn_tanh_cell, rnn_relu_cell, gru_cell, lstm_cell), <c>input_size</c>,
/// <c>hidden_size</c> and <c>bias</c> (true/false).
/// </summary>
public static class RecurrentCellCheckpoint
{
    /// <summary>The metadata describing <paramref name="cell"/> (the keys listed on the class).</summary>
    public static Dictionary<string, string> Metadata<T>(RecurrentCellLayer<T> cell) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["arch"] = cell.Kind switch
            {
                RecurrentKind.RnnTanh => "rnn_tanh_cell",
                RecurrentKind.RnnRelu => "rnn_relu_cell",
                RecurrentKind.Gru => "gru_cell",
                _ => "lstm_cell",
            },
            ["input_size"] = cell.InputSize.ToString(CultureInfo.InvariantCulture),
            ["hidden_size"] = cell.HiddenSize.ToString(CultureInfo.InvariantCulture),
            ["bias"] = cell.Bias ? "true" : "false",
        };
    }

    /// <summary>Builds the file for <paramref name="cell"/>: state_dict tensors in <typeparamref name="T"/>'s dtype and the metadata.</summary>
    public static SafetensorsFile ToFile<T>(RecurrentCellLayer<T> cell) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var file = new SafetensorsFile();
        foreach (var (key, value) in Metadata(cell)) file.Metadata[key] = value;
        ModuleCheckpoint.AddModule(file, cell);
        return file;
    }

    /// <summary>Writes <paramref name="cell"/> to <paramref name="path"/> atomically (float cells give F32, torch's default dtype).</summary>
    public static void Save<T>(string path, RecurrentCellLayer<T> cell) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ToFile(cell).Save(path);

    /// <summary>
    /// Builds the cell the metadata describes (an <see cref="RnnCellLayer{T}"/>, <see cref="GruCellLayer{T}"/> or
    /// <see cref="LstmCellLayer{T}"/>) and loads its weights, checking that the tensors are exactly its state_dict.
    /// </summary>
    /// <exception cref="SafetensorsException">Bad metadata, or a missing, misshapen or unexpected tensor (named).</exception>
    public static RecurrentCellLayer<T> Load<T>(SafetensorsFile file) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        string arch = file.Metadata.TryGetValue("arch", out string? a) ? a
            : throw new SafetensorsException(file.SourcePath, null, "metadata 'arch' is missing (a cell checkpoint needs arch, input_size, hidden_size).");
        int inputSize = PositiveInt(file, "input_size"), hiddenSize = PositiveInt(file, "hidden_size");
        string biasText = file.Metadata.TryGetValue("bias", out string? b) ? b : file.Contains("bias_ih") ? "true" : "false";
        bool bias = biasText switch
        {
            "true" => true,
            "false" => false,
            _ => throw new SafetensorsException(file.SourcePath, null, $"metadata 'bias' is '{biasText}', expected true or false."),
        };
        int gates = arch switch
        {
            "rnn_tanh_cell" or "rnn_relu_cell" => 1,
            "gru_cell" => 3,
            "lstm_cell" => 4,
            _ => throw new SafetensorsException(file.SourcePath, null, $"metadata 'arch' is '{arch}', expected rnn_tanh_cell, rnn_relu_cell, gru_cell or lstm_cell."),
        };
        // Check the tensors the metadata implies before allocating anything it asks for.
        Expect(file, "weight_ih", (long)gates * hiddenSize, inputSize);
        Expect(file, "weight_hh", (long)gates * hiddenSize, hiddenSize);
        if (bias)
        {
            Expect(file, "bias_ih", (long)gates * hiddenSize);
            Expect(file, "bias_hh", (long)gates * hiddenSize);
        }
        RecurrentCellLayer<T> cell = arch switch
        {
            "rnn_tanh_cell" => new RnnCellLayer<T>(inputSize, hiddenSize, bias, RnnNonlinearity.Tanh),
            "rnn_relu_cell" => new RnnCellLayer<T>(inputSize, hiddenSize, bias, RnnNonlinearity.Relu),
            "gru_cell" => new GruCellLayer<T>(inputSize, hiddenSize, bias),
            _ => new LstmCellLayer<T>(inputSize, hiddenSize, bias),
        };
        LoadInto(file, cell);
        return cell;
    }

    /// <summary>Reads <paramref name="path"/> and returns the cell it holds.</summary>
    public static RecurrentCellLayer<T> Load<T>(string path) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Load<T>(SafetensorsFile.Load(path));

    /// <summary>Loads weights into an existing cell after checking that the file's metadata, when present, describes the same cell.</summary>
    /// <exception cref="SafetensorsException">The metadata disagrees with the cell, or a tensor is missing, misshapen or unexpected.</exception>
    public static void LoadInto<T>(SafetensorsFile file, RecurrentCellLayer<T> cell) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(cell);
        foreach (var (key, mine) in Metadata(cell))
            if (file.Metadata.TryGetValue(key, out string? value) && value != mine)
                throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is '{value}' but the cell has '{mine}'.");
        var names = new HashSet<string>(cell.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        foreach (string name in file.Names)
            if (!names.Contains(name))
                throw new SafetensorsException(file.SourcePath, name, $"unexpected tensor: this cell has only {string.Join(", ", names)}.");
        ModuleCheckpoint.LoadModule(file, cell);
    }

    private static void Expect(SafetensorsFile file, string name, params long[] shape)
    {
        string expected = $"({string.Join(", ", shape)})";
        if (!file.Contains(name))
            throw new SafetensorsException(file.SourcePath, name, $"missing tensor: the metadata implies it, with shape {expected}.");
        int[] actual = file[name].Shape;
        if (actual.Length != shape.Length || !actual.Select(e => (long)e).SequenceEqual(shape))
            throw new SafetensorsException(file.SourcePath, name, $"has shape {NdArray<float>.FormatShape(actual)}, expected {expected}.");
    }

    private static int PositiveInt(SafetensorsFile file, string key)
    {
        string text = file.Metadata.TryGetValue(key, out string? v) ? v
            : throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is missing (a cell checkpoint needs arch, input_size, hidden_size).");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is '{text}', expected a positive integer.");
        return value;
    }
}
