using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Optimizers;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>
/// The training loop: minibatches from an <see cref="ITrainingTask{T}"/>, a step or epoch budget, gradient clipping,
/// a learning-rate schedule, validation at each epoch end, early stopping, NaN/Inf detection, cooperative
/// cancellation, and checkpoints that resume bit for bit. Events after each step and epoch feed live charts.
/// </summary>
/// <remarks>
/// Determinism: the trainer and the tasks draw only from (seed, epoch, batch index), every sum runs in a fixed order,
/// so two runs with the same seed give bit-identical losses, and resuming from a checkpoint continues exactly as the
/// uninterrupted run would.
/// </remarks>
public sealed class Trainer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const string Format = "workbench-training-checkpoint/1";
    private IReadOnlyDictionary<string, NdArray<T>>? _pendingCarriedState;
    private double _bestValidationLoss = double.PositiveInfinity;
    private int _evaluationsWithoutImprovement;
    private double _epochLossSum;
    private long _epochLossCount;
    // True when the run stopped (Ctrl+C) inside a validation pass that was due: the next Run performs it first, so the
    // evaluation is not lost and the metrics match an uninterrupted run.
    private bool _pendingEvaluation;

    /// <summary>Creates a trainer; the optimizer must update the task's parameters.</summary>
    public Trainer(ITrainingTask<T> task, Optimizer<T> optimizer, TrainerOptions? options = null)
    {
        Task = task ?? throw new ArgumentNullException(nameof(task));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Options = options ?? new TrainerOptions();
        if (task.BatchesPerEpoch < 1) throw new ArgumentException("The task has no training batches.", nameof(task));
        var optimized = optimizer.Parameters.ToHashSet();
        foreach (var (name, parameter) in task.NamedParameters)
            if (!optimized.Contains(parameter)) throw new ArgumentException($"Parameter '{name}' is not updated by the optimizer.", nameof(optimizer));
    }

    /// <summary>The task (model, data, loss).</summary>
    public ITrainingTask<T> Task { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Steps taken so far (also after a resume: the checkpoint's count).</summary>
    public long Step { get; private set; }

    /// <summary>The step budget: <see cref="TrainerOptions.Steps"/>, or epochs × batches per epoch.</summary>
    public long TotalSteps => Options.Steps ?? (long)Options.Epochs * Task.BatchesPerEpoch;

    /// <summary>Raised after every step (on the training thread).</summary>
    public event Action<StepMetrics>? StepCompleted;

    /// <summary>Raised after every epoch and after a validation pass requested by <see cref="TrainerOptions.EvaluateEvery"/>.</summary>
    public event Action<EpochMetrics>? EpochCompleted;

    /// <summary>
    /// Raised after each step once its validation (if due) is done: the trainer's state is then whole, so a
    /// <see cref="SaveCheckpoint"/> from this handler resumes exactly (periodic checkpoints).
    /// </summary>
    public event Action? StepSettled;

    /// <summary>
    /// Trains until the budget is spent, early stopping triggers, or <paramref name="cancellationToken"/> is cancelled
    /// (checked before every step and every validation batch; the model is left consistent). Throws
    /// <see cref="NonFiniteValueException"/> on NaN/Inf unless <see cref="TrainerOptions.NonFinite"/> says to skip.
    /// </summary>
    public TrainingResult Run(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var steps = new List<StepMetrics>();
        var epochs = new List<EpochMetrics>();
        int perEpoch = Task.BatchesPerEpoch;
        long total = TotalSteps;
        long tokens = 0;
        int currentEpoch = -1;
        bool cancelled = false, stoppedEarly = false;
        Evaluation? lastValidation = null;
        var named = Task.NamedParameters;

        if (_pendingEvaluation)
        {
            // The validation pass that Ctrl+C interrupted last time, at the same step and with the same epoch sums.
            Evaluation? pending;
            try { pending = Task.Evaluate(cancellationToken); }
            catch (OperationCanceledException) { pending = null; cancelled = true; }
            if (!cancelled)
            {
                _pendingEvaluation = false;
                stoppedEarly = RecordEvaluation((int)((Step - 1) / perEpoch), pending, clock, epochs, ref lastValidation);
            }
        }

        // Also when no step is left to take: the checkpoint written at the end must carry the same state again.
        if (_pendingCarriedState is not null)
        {
            currentEpoch = (int)(Step / perEpoch);
            Task.BeginEpoch(currentEpoch, Options.Seed);
            Task.ImportCarriedState(_pendingCarriedState);
            _pendingCarriedState = null;
        }

        while (Step < total && !cancelled && !stoppedEarly)
        {

            if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
            int epoch = (int)(Step / perEpoch);
            int index = (int)(Step % perEpoch);
            if (epoch != currentEpoch)
            {
                Task.BeginEpoch(epoch, Options.Seed);
                currentEpoch = epoch;
                _epochLossSum = 0;
                _epochLossCount = 0;
            }

            double rate = Options.Schedule?.At(Step) ?? Optimizer.LearningRate;
            Optimizer.LearningRate = rate;
            Optimizer.ZeroGrad();
            BatchLoss batch = Task.TrainBatch(index);
            bool skipped = false;
            string? problem = CheckFinite(batch.Loss, named, out string? detail);
            if (problem is not null || detail is not null)
            {
                if (Options.NonFinite == NonFinitePolicy.Throw) throw new NonFiniteValueException(Step, problem, detail!);
                skipped = true;
            }
            double norm = double.NaN;
            if (!skipped)
            {
                norm = double.CreateChecked(GradientClipping.ClipGradNorm(Optimizer.Parameters, Options.ClipGradientNorm ?? double.PositiveInfinity));
                Snapshot(named);
                Optimizer.Step();
                string? overflowed = CheckValues(named, out string? valueDetail);
                if (overflowed is not null)
                {
                    Restore(named);
                    if (Options.NonFinite == NonFinitePolicy.Throw) throw new NonFiniteValueException(Step, overflowed, valueDetail!, inUpdate: true);
                    skipped = true;
                }
            }
            Optimizer.ZeroGrad();
            Step++;
            tokens += batch.Tokens;
            if (!skipped)
            {
                _epochLossSum += batch.Loss;
                _epochLossCount++;
            }
            double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            var metrics = new StepMetrics(Step - 1, epoch, batch.Loss, norm, rate, batch.Tokens, tokens / seconds, clock.Elapsed, skipped);
            steps.Add(metrics);
            StepCompleted?.Invoke(metrics);

            bool endOfEpoch = index == perEpoch - 1;
            bool evaluateNow = endOfEpoch || Step == total || (Options.EvaluateEvery is long every && Step % every == 0);
            if (evaluateNow)
            {
                Evaluation? validation;
                try { validation = Task.Evaluate(cancellationToken); }
                catch (OperationCanceledException) { _pendingEvaluation = true; cancelled = true; break; }
                if (RecordEvaluation(epoch, validation, clock, epochs, ref lastValidation)) { stoppedEarly = true; break; }
            }
            StepSettled?.Invoke();
        }
        clock.Stop();
        return new TrainingResult(steps, epochs, Step, cancelled, stoppedEarly, lastValidation, clock.Elapsed,
            tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
    }

    // Emits the epoch metrics of a finished validation pass; true when early stopping says to stop.
    private bool RecordEvaluation(int epoch, Evaluation? validation, Stopwatch clock, List<EpochMetrics> epochs, ref Evaluation? lastValidation)
    {
        lastValidation = validation ?? lastValidation;
        var epochMetrics = new EpochMetrics(epoch, Step, _epochLossCount > 0 ? _epochLossSum / _epochLossCount : double.NaN, validation, clock.Elapsed);
        epochs.Add(epochMetrics);
        EpochCompleted?.Invoke(epochMetrics);
        if (validation is null || Options.EarlyStoppingPatience is not int patience) return false;
        if (validation.Loss < _bestValidationLoss) { _bestValidationLoss = validation.Loss; _evaluationsWithoutImprovement = 0; return false; }
        return ++_evaluationsWithoutImprovement >= patience;
    }

    // Returns the offending parameter name (null for the loss) and sets detail when something is not finite.
    private static string? CheckFinite(double loss, IReadOnlyList<KeyValuePair<string, Parameter<T>>> named, out string? detail)
    {
        detail = null;
        if (!double.IsFinite(loss)) { detail = loss.ToString(CultureInfo.InvariantCulture); return null; }
        return FirstNonFinite(named, p => p.Grad, out detail);
    }

    // A copy of the values before each update, so that an update that overflows can be undone.
    private T[][]? _snapshot;

    private void Snapshot(IReadOnlyList<KeyValuePair<string, Parameter<T>>> named)
    {
        _snapshot ??= named.Select(p => new T[p.Value.Value.Length]).ToArray();
        for (int i = 0; i < named.Count; i++) named[i].Value.Value.Data.CopyTo(_snapshot[i], 0);
    }

    private void Restore(IReadOnlyList<KeyValuePair<string, Parameter<T>>> named)
    {
        for (int i = 0; i < named.Count; i++) _snapshot![i].CopyTo(named[i].Value.Value.Data, 0);
    }

    private static string? CheckValues(IReadOnlyList<KeyValuePair<string, Parameter<T>>> named, out string? detail)
        => FirstNonFinite(named, p => p.Value, out detail);

    // The first parameter whose gradient or value (as chosen) holds a NaN/Inf, with the value and where it is.
    private static string? FirstNonFinite(IReadOnlyList<KeyValuePair<string, Parameter<T>>> named, Func<Parameter<T>, NdArray<T>> array, out string? detail)
    {
        detail = null;
        foreach (var (name, parameter) in named)
        {
            NdArray<T> values = array(parameter);
            int i = values.IndexOfNonFinite();
            if (i < 0) continue;
            detail = $"{values.Data[i]} at flat index {i} of shape {NdArray<T>.FormatShape(values.Shape)}";
            return name;
        }
        return null;
    }

    /// <summary>
    /// Writes a safetensors checkpoint: the parameters (<c>model.&lt;key&gt;</c>), the optimizer's buffers
    /// (<c>optimizer.&lt;key&gt;</c>), the task's carried state (<c>carried.&lt;key&gt;</c>), and the step and
    /// early-stopping counters in the metadata. Extra <paramref name="metadata"/> is stored too.
    /// </summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var file = new SafetensorsFile();
        foreach (var (name, parameter) in Task.NamedParameters) file.Add($"model.{name}", parameter.Value.Clone());
        OptimizerState<T> state = Optimizer.ExportState();
        foreach (var (name, tensor) in state.Tensors) file.Add($"optimizer.{name}", tensor);
        foreach (var (name, tensor) in Task.ExportCarriedState()) file.Add($"carried.{name}", tensor.Clone());
        if (metadata is not null) foreach (var (k, v) in metadata) file.Metadata[k] = v;
        file.Metadata["format"] = Format;
        file.Metadata["step"] = Step.ToString(CultureInfo.InvariantCulture);
        file.Metadata["optimizer_kind"] = state.Kind;
        file.Metadata["optimizer_step_count"] = state.StepCount.ToString(CultureInfo.InvariantCulture);
        file.Metadata["learning_rate"] = Optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        file.Metadata["best_validation_loss"] = _bestValidationLoss.ToString("R", CultureInfo.InvariantCulture);
        file.Metadata["evaluations_without_improvement"] = _evaluationsWithoutImprovement.ToString(CultureInfo.InvariantCulture);
        file.Metadata["epoch_loss_sum"] = _epochLossSum.ToString("R", CultureInfo.InvariantCulture);
        file.Metadata["epoch_loss_count"] = _epochLossCount.ToString(CultureInfo.InvariantCulture);
        if (_pendingEvaluation) file.Metadata["pending_evaluation"] = "true";
        file.Save(path);
    }

    /// <summary>
    /// Restores what <see cref="SaveCheckpoint"/> wrote, so that <see cref="Run"/> continues from its step exactly.
    /// Errors name the file and the missing or mismatched tensor.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        SafetensorsFile file = SafetensorsFile.Load(path);
        if (!file.Metadata.TryGetValue("format", out string? format) || format != Format)
            throw new InvalidDataException($"{path}: not a training checkpoint (metadata 'format' is '{format ?? "missing"}', expected '{Format}').");
        LoadParameters(file, Task.NamedParameters, path);
        var optimizerTensors = new Dictionary<string, NdArray<T>>(StringComparer.Ordinal);
        var carried = new Dictionary<string, NdArray<T>>(StringComparer.Ordinal);
        foreach (string name in file.Names)
        {
            if (name.StartsWith("optimizer.", StringComparison.Ordinal)) optimizerTensors[name["optimizer.".Length..]] = file.GetArray<T>(name);
            else if (name.StartsWith("carried.", StringComparison.Ordinal)) carried[name["carried.".Length..]] = file.GetArray<T>(name);
        }
        Optimizer.ImportState(new OptimizerState<T>(Metadata(file, path, "optimizer_kind"),
            Number(file, path, "optimizer_step_count", long.Parse), optimizerTensors));
        Optimizer.LearningRate = Number(file, path, "learning_rate", double.Parse);
        long step = Number(file, path, "step", long.Parse);
        if (step < 0) throw new InvalidDataException($"{path}: metadata 'step' is {step}, which is negative.");
        Step = step;
        _bestValidationLoss = Number(file, path, "best_validation_loss", double.Parse);
        _evaluationsWithoutImprovement = Number(file, path, "evaluations_without_improvement", int.Parse);
        _epochLossSum = Number(file, path, "epoch_loss_sum", double.Parse);
        _epochLossCount = Number(file, path, "epoch_loss_count", long.Parse);
        _pendingEvaluation = file.Metadata.TryGetValue("pending_evaluation", out string? pendingEvaluation) && pendingEvaluation == "true";
        // Mid-epoch resumes need the carried state; at an epoch boundary BeginEpoch resets it anyway.
        _pendingCarriedState = Step % Task.BatchesPerEpoch == 0 ? null : carried;
    }

    private static string Metadata(SafetensorsFile file, string path, string key) =>
        file.Metadata.TryGetValue(key, out string? value) ? value
            : throw new InvalidDataException($"{path}: the checkpoint's metadata has no '{key}'.");

    private static TNumber Number<TNumber>(SafetensorsFile file, string path, string key, Func<string, IFormatProvider, TNumber> parse)
    {
        string text = Metadata(file, path, key);
        try { return parse(text, CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: the checkpoint's metadata '{key}' is '{text}', not a number.", e);
        }
    }

    /// <summary>Copies the <c>model.&lt;key&gt;</c> tensors of a checkpoint into <paramref name="parameters"/> (shapes checked).</summary>
    public static void LoadParameters(SafetensorsFile file, IReadOnlyList<KeyValuePair<string, Parameter<T>>> parameters, string path)
    {
        foreach (var (name, parameter) in parameters)
        {
            string key = $"model.{name}";
            if (!file.Contains(key)) throw new InvalidDataException($"{path}: the checkpoint has no tensor '{key}' (the model's configuration differs?).");
            NdArray<T> value = file.GetArray<T>(key);
            value.RequireShape(key, parameter.Value.Shape);
            value.Data.CopyTo(parameter.Value.Data, 0);
        }
    }
}
