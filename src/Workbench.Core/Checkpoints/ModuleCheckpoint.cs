using System.Globalization;
using System.Numerics;
using Workbench.Optimizers;
using Workbench.Tensors;

namespace Workbench.Checkpoints;

/// <summary>
/// Saves and loads any <see cref="IModule{T}"/> as a safetensors file keyed by its parameter names (optionally
/// prefixed, e.g. <c>encoder.</c>), plus extra tensors and optimizer state, so a trainer can checkpoint and resume.
/// Tensors are stored in the module's own element type (F32 for float, F64 for double), so a resume is bit-exact.
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>The default prefix of optimizer state tensors and metadata.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Adds every parameter of <paramref name="module"/> as <c>prefix + name</c> (values are copied).</summary>
    public static void AddModule<T>(SafetensorsFile file, IModule<T> module, string prefix = "") where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(module);
        foreach (Parameter<T> parameter in module.Parameters) file.Add(prefix + parameter.Name, parameter.Value);
    }

    /// <summary>
    /// Copies <c>prefix + name</c> from <paramref name="file"/> into every parameter of <paramref name="module"/>
    /// (float and double files both convert). Nothing is changed unless every tensor is present and well shaped.
    /// </summary>
    /// <exception cref="SafetensorsException">A tensor is missing, not floating-point, or of another shape (expected and actual are named).</exception>
    public static void LoadModule<T>(SafetensorsFile file, IModule<T> module, string prefix = "") where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(module);
        var values = new List<(Parameter<T>, NdArray<T>)>();
        foreach (Parameter<T> parameter in module.Parameters)
            values.Add((parameter, file.GetArray<T>(prefix + parameter.Name, parameter.Value.Shape)));
        foreach (var (parameter, value) in values) value.Data.CopyTo(parameter.Value.Data, 0);
    }

    /// <summary>Adds an optimizer's buffers as <c>prefix + "&lt;index&gt;.&lt;buffer&gt;"</c> and its kind and step count as metadata.</summary>
    public static void AddOptimizerState<T>(SafetensorsFile file, OptimizerState<T> state, string prefix = OptimizerPrefix)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(state);
        file.Metadata[prefix + "kind"] = state.Kind;
        file.Metadata[prefix + "step"] = state.StepCount.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, tensor) in state.Tensors) file.Add(prefix + name, tensor);
    }

    /// <summary>Reads what <see cref="AddOptimizerState{T}"/> wrote.</summary>
    /// <exception cref="SafetensorsException">The kind or step metadata is missing or malformed.</exception>
    public static OptimizerState<T> ReadOptimizerState<T>(SafetensorsFile file, string prefix = OptimizerPrefix)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.Metadata.TryGetValue(prefix + "kind", out string? kind))
            throw new SafetensorsException(file.SourcePath, null, $"metadata '{prefix}kind' is missing: the file holds no optimizer state.");
        if (!file.Metadata.TryGetValue(prefix + "step", out string? stepText)
            || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new SafetensorsException(file.SourcePath, null, $"metadata '{prefix}step' is missing or not a non-negative integer.");
        var tensors = new SortedDictionary<string, NdArray<T>>(StringComparer.Ordinal);
        foreach (SafetensorsTensor tensor in file.Tensors)
            if (tensor.Name.StartsWith(prefix, StringComparison.Ordinal))
                tensors[tensor.Name[prefix.Length..]] = file.GetArray<T>(tensor.Name);
        return new OptimizerState<T>(kind, step, tensors);
    }

    /// <summary>
    /// Writes <paramref name="module"/>'s parameters, optional metadata, optional extra tensors and optional optimizer
    /// state to <paramref name="path"/> atomically.
    /// </summary>
    public static void Save<T>(string path, IModule<T> module, IReadOnlyDictionary<string, string>? metadata = null,
        IEnumerable<KeyValuePair<string, NdArray<T>>>? extraTensors = null, OptimizerState<T>? optimizerState = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var file = new SafetensorsFile();
        if (metadata is not null) foreach (var (key, value) in metadata) file.Metadata[key] = value;
        AddModule(file, module);
        if (extraTensors is not null) foreach (var (name, tensor) in extraTensors) file.Add(name, tensor);
        if (optimizerState is not null) AddOptimizerState(file, optimizerState);
        file.Save(path);
    }

    /// <summary>Loads <paramref name="module"/>'s parameters from <paramref name="path"/> and returns the file (for metadata, extras, optimizer state).</summary>
    /// <exception cref="SafetensorsException">The file is malformed or a parameter is missing or misshapen.</exception>
    public static SafetensorsFile Load<T>(string path, IModule<T> module) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SafetensorsFile file = SafetensorsFile.Load(path);
        LoadModule(file, module);
        return file;
    }
}
