using System.Globalization;
using System.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>
/// A recurrent layer as a safetensors file that PyTorch loads with <c>load_state_dict(strict=True)</c>: the tensors
/// are the state_dict (<c>weight_ih_l0</c>, ..., <c>bias_hh_l1_reverse</c>, and <c>weight_hr_l{k}[_reverse]</c>
/// (proj_size, hidden_size) for a projected LSTM) and <c>__metadata__</c> describes the
/// architecture: <c>arch</c> (rnn_tanh, rnn_relu, gru, lstm), <c>input_size</c>, <c>hidden_size</c>,
/// <c>num_layers</c>, <c>bidirectional</c> and <c>bias</c> (true/false), for a GRU <c>gru_variant</c>
/// (pytorch = reset after, cho2014 = reset before) and <c>gru_update</c> (z_weighs_previous as PyTorch,
/// z_weighs_candidate), for an LSTM <c>proj_size</c> (0 for none; absent in older files means 0); <c>dropout</c> (a
/// number in [0, 1), 0 when absent) and <c>batch_first</c> (true/false, false when absent), PyTorch's constructor
/// arguments of the same names.
/// </summary>
public static class RecurrentCheckpoint
{
    /// <summary>The metadata describing <paramref name="options"/> (the keys listed on the class).</summary>
    public static Dictionary<string, string> Metadata(RecurrentLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["arch"] = options.Kind switch
            {
                RecurrentKind.RnnTanh => "rnn_tanh",
                RecurrentKind.RnnRelu => "rnn_relu",
                RecurrentKind.Gru => "gru",
                RecurrentKind.Lstm => "lstm",
                _ => throw new ArgumentException($"Unknown recurrent kind {options.Kind}."),
            },
            ["input_size"] = options.InputSize.ToString(CultureInfo.InvariantCulture),
            ["hidden_size"] = options.HiddenSize.ToString(CultureInfo.InvariantCulture),
            ["num_layers"] = options.NumLayers.ToString(CultureInfo.InvariantCulture),
            ["bidirectional"] = options.Bidirectional ? "true" : "false",
            ["bias"] = options.Bias ? "true" : "false",
        };
        if (options.Kind == RecurrentKind.Gru)
        {
            meta["gru_variant"] = options.ResetPlacement == GruResetPlacement.ResetAfter ? "pytorch" : "cho2014";
            meta["gru_update"] = options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious ? "z_weighs_previous" : "z_weighs_candidate";
        }
        if (options.Kind == RecurrentKind.Lstm) meta["proj_size"] = options.ProjectionSize.ToString(CultureInfo.InvariantCulture);
        meta["dropout"] = options.Dropout.ToString("R", CultureInfo.InvariantCulture);
        meta["batch_first"] = options.BatchFirst ? "true" : "false";
        return meta;
    }

    /// <summary>Builds the file for <paramref name="layer"/>: state_dict tensors in <typeparamref name="T"/>'s dtype and the metadata.</summary>
    public static SafetensorsFile ToFile<T>(RecurrentLayer<T> layer) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        var file = new SafetensorsFile();
        foreach (var (key, value) in Metadata(layer.Options)) file.Metadata[key] = value;
        ModuleCheckpoint.AddModule(file, layer);
        return file;
    }

    /// <summary>Writes <paramref name="layer"/> to <paramref name="path"/> atomically (float layers give F32, torch's default dtype).</summary>
    public static void Save<T>(string path, RecurrentLayer<T> layer) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ToFile(layer).Save(path);

    /// <summary>Reads and checks the architecture metadata of a checkpoint.</summary>
    /// <exception cref="SafetensorsException">A key is missing or has a value outside its set (the message lists the accepted ones).</exception>
    public static RecurrentLayerOptions ReadOptions(SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string arch = Require(file, "arch");
        RecurrentKind kind = arch switch
        {
            "rnn_tanh" => RecurrentKind.RnnTanh,
            "rnn_relu" => RecurrentKind.RnnRelu,
            "gru" => RecurrentKind.Gru,
            "lstm" => RecurrentKind.Lstm,
            _ => throw new SafetensorsException(file.SourcePath, null, $"metadata 'arch' is '{arch}', expected rnn_tanh, rnn_relu, gru or lstm."),
        };
        int inputSize = PositiveInt(file, "input_size");
        int hiddenSize = PositiveInt(file, "hidden_size");
        int numLayers = PositiveInt(file, "num_layers");
        bool bidirectional = Bool(file, "bidirectional", null);
        // Older files may omit "bias": the presence of bias_ih_l0 tells.
        bool bias = Bool(file, "bias", file.Contains("bias_ih_l0"));
        var placement = GruResetPlacement.ResetAfter;
        var update = GruUpdateConvention.ZWeighsPrevious;
        if (kind == RecurrentKind.Gru)
        {
            placement = Optional(file, "gru_variant", "pytorch") switch
            {
                "pytorch" => GruResetPlacement.ResetAfter,
                "cho2014" => GruResetPlacement.ResetBefore,
                var other => throw new SafetensorsException(file.SourcePath, null, $"metadata 'gru_variant' is '{other}', expected pytorch (reset after) or cho2014 (reset before)."),
            };
            update = Optional(file, "gru_update", "z_weighs_previous") switch
            {
                "z_weighs_previous" => GruUpdateConvention.ZWeighsPrevious,
                "z_weighs_candidate" => GruUpdateConvention.ZWeighsCandidate,
                var other => throw new SafetensorsException(file.SourcePath, null, $"metadata 'gru_update' is '{other}', expected z_weighs_previous or z_weighs_candidate."),
            };
        }
        int projSize = ProjectionSize(file, kind, hiddenSize);
        double dropout = Dropout(file);
        bool batchFirst = Bool(file, "batch_first", false);
        RequireRoomForWeights(file, kind, inputSize, hiddenSize, numLayers, bidirectional, bias, projSize);
        return new RecurrentLayerOptions(kind, inputSize, hiddenSize)
        {
            ProjectionSize = projSize,
            NumLayers = numLayers,
            Bidirectional = bidirectional,
            Bias = bias,
            ResetPlacement = placement,
            UpdateConvention = update,
            Dropout = dropout,
            BatchFirst = batchFirst,
        };
    }

    // The metadata is trusted only as far as the file backs it: every tensor it implies must be in the file with its
    // shape before anything is allocated, so num_layers = 2147483647 in a 448-byte file fails on the first missing
    // tensor instead of allocating gigabytes. Shapes are computed in 64 bits, so huge sizes cannot wrap.
    private static void RequireRoomForWeights(SafetensorsFile file, RecurrentKind kind, int inputSize, int hiddenSize, int numLayers, bool bidirectional, bool bias, int projSize)
    {
        long gates = kind switch { RecurrentKind.Gru => 3, RecurrentKind.Lstm => 4, _ => 1 };
        int directions = bidirectional ? 2 : 1, state = projSize > 0 ? projSize : hiddenSize;
        long rows = gates * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++)
        {
            long input = layer == 0 ? inputSize : (long)state * directions;
            for (int direction = 0; direction < directions; direction++)
            {
                string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : "")}";
                Expect(file, "weight_ih" + suffix, rows, input);
                Expect(file, "weight_hh" + suffix, rows, state);
                if (projSize > 0) Expect(file, "weight_hr" + suffix, projSize, hiddenSize);
                if (!bias) continue;
                Expect(file, "bias_ih" + suffix, rows);
                Expect(file, "bias_hh" + suffix, rows);
            }
        }
    }

    private static void Expect(SafetensorsFile file, string name, params long[] shape)
    {
        string expected = $"({string.Join(", ", shape)})";
        if (!file.Contains(name))
            throw new SafetensorsException(file.SourcePath, name, $"missing tensor: the metadata implies it, with shape {expected}.");
        int[] actual = file.Tensors.First(t => t.Name == name).Shape;
        if (actual.Length != shape.Length || !actual.Select(e => (long)e).SequenceEqual(shape))
            throw new SafetensorsException(file.SourcePath, name, $"has shape {NdArray<float>.FormatShape(actual)}, expected {expected}.");
    }

    /// <summary>
    /// Builds the layer the metadata describes and loads its weights, checking that the tensors are exactly the
    /// state_dict (as <c>load_state_dict(strict=True)</c>).
    /// </summary>
    /// <exception cref="SafetensorsException">Bad metadata, or a missing, misshapen or unexpected tensor (named, with expected and actual shapes).</exception>
    public static RecurrentLayer<T> Load<T>(SafetensorsFile file) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var layer = new RecurrentLayer<T>(ReadOptions(file));
        LoadWeights(file, layer);
        return layer;
    }

    /// <summary>Reads <paramref name="path"/> and returns the layer it holds.</summary>
    public static RecurrentLayer<T> Load<T>(string path) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Load<T>(SafetensorsFile.Load(path));

    /// <summary>Loads weights into an existing layer after checking that the file's metadata describes the same architecture (dropout and batch_first may differ: they do not change the weights).</summary>
    /// <exception cref="SafetensorsException">The metadata disagrees with the layer, or a tensor is missing, misshapen or unexpected.</exception>
    public static void LoadInto<T>(SafetensorsFile file, RecurrentLayer<T> layer) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        RecurrentLayerOptions stored = ReadOptions(file);
        RecurrentLayerOptions own = layer.Options;
        var expected = Metadata(own);
        foreach (var (key, value) in Metadata(stored))
            if (!TrainingSwitches.Contains(key) && expected.TryGetValue(key, out string? mine) && mine != value)
                throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is '{value}' but the layer has '{mine}'.");
        LoadWeights(file, layer);
    }

    // Settings that change neither the parameters nor what they compute: weights trained with dropout, or saved by a
    // batch-first layer, load into a layer with other settings, as with load_state_dict.
    private static readonly HashSet<string> TrainingSwitches = new(StringComparer.Ordinal) { "dropout", "batch_first" };

    private static double Dropout(SafetensorsFile file)
    {
        string text = Optional(file, "dropout", "0");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || !(p >= 0 && p < 1))
            throw new SafetensorsException(file.SourcePath, null, $"metadata 'dropout' is '{text}', expected a number in [0, 1).");
        return p;
    }

    private static void LoadWeights<T>(SafetensorsFile file, RecurrentLayer<T> layer) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var names = new HashSet<string>(layer.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        foreach (string name in file.Names)
            if (!names.Contains(name))
                throw new SafetensorsException(file.SourcePath, name,
                    $"unexpected tensor: a {layer.Options.Kind} layer with this metadata has only {string.Join(", ", names)}.");
        ModuleCheckpoint.LoadModule(file, layer);
    }

    // PyTorch's proj_size: LSTM only, 0 ≤ P < hidden_size; files without the key have none.
    private static int ProjectionSize(SafetensorsFile file, RecurrentKind kind, int hiddenSize)
    {
        if (!file.Metadata.TryGetValue("proj_size", out string? text)) return 0;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value >= hiddenSize)
            throw new SafetensorsException(file.SourcePath, null, $"metadata 'proj_size' is '{text}', expected an integer from 0 to hidden_size − 1 = {hiddenSize - 1}.");
        if (value > 0 && kind != RecurrentKind.Lstm)
            throw new SafetensorsException(file.SourcePath, null, $"metadata 'proj_size' is '{text}', but only an LSTM has a projection (arch is {kind}).");
        return value;
    }

    private static string Require(SafetensorsFile file, string key)
        => file.Metadata.TryGetValue(key, out string? value) ? value
           : throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is missing (a recurrent checkpoint needs arch, input_size, hidden_size, num_layers, bidirectional).");

    private static string Optional(SafetensorsFile file, string key, string fallback)
        => file.Metadata.TryGetValue(key, out string? value) ? value : fallback;

    private static int PositiveInt(SafetensorsFile file, string key)
    {
        string text = Require(file, key);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is '{text}', expected a positive integer.");
        return value;
    }

    private static bool Bool(SafetensorsFile file, string key, bool? fallback)
    {
        string text = fallback is bool f ? Optional(file, key, f ? "true" : "false") : Require(file, key);
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw new SafetensorsException(file.SourcePath, null, $"metadata '{key}' is '{text}', expected true or false."),
        };
    }
}
