using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Training;

/// <summary>
/// Everything that defines a training run, as stored in a run folder's <c>config.json</c> (snake_case keys) and as the
/// entries of a sweep grid. Null fields take the task's defaults (see <see cref="Experiment.Create"/>).
/// </summary>
public sealed record RunConfig
{
    /// <summary>The task names <see cref="Task"/> accepts.</summary>
    public static IReadOnlyList<string> Tasks { get; } = ["adding", "copy", "order", "sine", "postag", "charlm"];

    /// <summary>adding | copy | order | sine | postag | charlm.</summary>
    public string Task { get; init; } = "charlm";
    /// <summary>rnn | lstm | gru.</summary>
    public string Model { get; init; } = "gru";
    /// <summary>Add a reverse direction (not for charlm).</summary>
    public bool Bidirectional { get; init; }
    /// <summary>Stacked recurrent layers.</summary>
    public int Layers { get; init; } = 1;
    /// <summary>Hidden size H.</summary>
    public int Hidden { get; init; } = 64;
    /// <summary>Token embedding size (token tasks).</summary>
    public int EmbeddingDim { get; init; } = 32;
    /// <summary>Sequence length: adding/order length, copy total length, sine window, charlm BPTT chunk; null = task default.</summary>
    public int? SeqLen { get; init; }
    /// <summary>Step budget (wins over <see cref="Epochs"/>).</summary>
    public long? Steps { get; init; }
    /// <summary>Epoch budget when <see cref="Steps"/> is null; both null = task default.</summary>
    public int? Epochs { get; init; }
    /// <summary>Sequences (or parallel streams) per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init; } = 0.005;
    /// <summary>adam | adamw | sgd | rmsprop.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Global gradient-norm clip, or null.</summary>
    public double? Clip { get; init; } = 1.0;
    /// <summary>Schedule in <see cref="LearningRateSchedule.Parse"/> form (constant, cosine, step:SIZE:GAMMA, +warmup:N).</summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>Early-stopping patience in evaluations, or null.</summary>
    public int? Patience { get; init; }
    /// <summary>Evaluate every this many steps besides epoch ends, or null.</summary>
    public long? EvaluateEvery { get; init; }
    /// <summary>Seed of data generation, initialisation and shuffling.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>A user file: plain text (charlm), CoNLL (postag) or CSV (sine); null = the shipped data.</summary>
    public string? Corpus { get; init; }
    /// <summary>Training examples for generated tasks (adding, copy, order); null = task default.</summary>
    public int? TrainCount { get; init; }
    /// <summary>Limit on training characters for charlm (null = all).</summary>
    public int? MaxTrainTokens { get; init; }
    /// <summary>Skip steps whose loss or gradients are NaN/Inf instead of stopping with an error.</summary>
    public bool SkipNonFinite { get; init; }

    /// <summary>The JSON options used for config files: snake_case, indented, unknown keys rejected.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A diverged run has NaN losses; run.json must still be writable and readable.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>This config as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a config; unknown keys and bad values throw naming <paramref name="source"/>.</summary>
    public static RunConfig FromJson(string json, string source = "config")
    {
        RunConfig config;
        try { config = JsonSerializer.Deserialize<RunConfig>(json, JsonOptions) ?? throw new FormatException($"{source}: empty configuration."); }
        catch (JsonException e) { throw new FormatException($"{source}: {e.Message}", e); }
        config.Validate(source);
        return config;
    }

    /// <summary>
    /// Throws a <see cref="FormatException"/> naming the field when a value is out of range; <paramref name="fieldName"/>
    /// turns a field's snake_case name into what the user typed (e.g. a command-line option).
    /// </summary>
    public void Validate(string source = "config", Func<string, string>? fieldName = null)
    {
        string N(string field) => fieldName?.Invoke(field) ?? field;
        if (!Tasks.Contains(Task)) throw new FormatException($"{source}: unknown task '{Task}' (use {string.Join(", ", Tasks)}).");
        if (Model is not ("rnn" or "lstm" or "gru" or "rnn-relu")) throw new FormatException($"{source}: unknown model '{Model}' (use rnn, lstm or gru).");
        if (Layers < 1) throw new FormatException($"{source}: {N("layers")} must be at least 1, got {Layers}.");
        if (Hidden < 1) throw new FormatException($"{source}: {N("hidden")} must be at least 1, got {Hidden}.");
        if (EmbeddingDim < 1) throw new FormatException($"{source}: {N("embedding_dim")} must be at least 1, got {EmbeddingDim}.");
        if (SeqLen is < 2) throw new FormatException($"{source}: {N("seq_len")} must be at least 2, got {SeqLen}.");
        if (Steps is < 1) throw new FormatException($"{source}: {N("steps")} must be at least 1, got {Steps}.");
        if (Epochs is < 1) throw new FormatException($"{source}: {N("epochs")} must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new FormatException($"{source}: {N("batch_size")} must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0)) throw new FormatException($"{source}: {N("learning_rate")} must be positive, got {LearningRate}.");
        if (Optimizer is not ("adam" or "adamw" or "sgd" or "rmsprop")) throw new FormatException($"{source}: unknown optimizer '{Optimizer}' (use adam, adamw, sgd or rmsprop).");
        if (Clip is <= 0) throw new FormatException($"{source}: {N("clip")} must be positive, got {Clip}.");
        if (Bidirectional && Task == "charlm") throw new FormatException($"{source}: a language model (task charlm) cannot be bidirectional.");
        if (TrainCount is < 1) throw new FormatException($"{source}: {N("train_count")} must be at least 1, got {TrainCount}.");
        // Upper bounds keep a mistyped number from asking for more memory than any machine has (a clear error, not an
        // OutOfMemoryException or an overflow deep inside the model).
        if (Layers > MaxLayers) throw new FormatException($"{source}: {N("layers")} must be at most {MaxLayers}, got {Layers}.");
        if (Hidden > MaxWidth) throw new FormatException($"{source}: {N("hidden")} must be at most {MaxWidth}, got {Hidden}.");
        if (EmbeddingDim > MaxWidth) throw new FormatException($"{source}: {N("embedding_dim")} must be at most {MaxWidth}, got {EmbeddingDim}.");
        if (SeqLen > MaxSeqLen) throw new FormatException($"{source}: {N("seq_len")} must be at most {MaxSeqLen}, got {SeqLen}.");
        if (BatchSize > MaxBatchSize) throw new FormatException($"{source}: {N("batch_size")} must be at most {MaxBatchSize}, got {BatchSize}.");
        if (TrainCount > MaxTrainCount) throw new FormatException($"{source}: {N("train_count")} must be at most {MaxTrainCount}, got {TrainCount}.");
        try { LearningRateSchedule.Parse(Schedule, LearningRate, 1); }
        catch (FormatException e) { throw new FormatException($"{source}: {N("schedule")}: {e.Message}", e); }
    }

    /// <summary>Largest accepted <see cref="Layers"/>.</summary>
    public const int MaxLayers = 32;
    /// <summary>Largest accepted <see cref="Hidden"/> and <see cref="EmbeddingDim"/>.</summary>
    public const int MaxWidth = 8192;
    /// <summary>Largest accepted <see cref="SeqLen"/>.</summary>
    public const int MaxSeqLen = 100_000;
    /// <summary>Largest accepted <see cref="BatchSize"/>.</summary>
    public const int MaxBatchSize = 65_536;
    /// <summary>Largest accepted <see cref="TrainCount"/>.</summary>
    public const int MaxTrainCount = 10_000_000;

    /// <summary>A short, file-name-safe label, e.g. <c>charlm-gru-h64-l1-s1</c>.</summary>
    public string Label => $"{Task}-{Model}{(Bidirectional ? "-bi" : "")}-h{Hidden}-l{Layers}{(SeqLen is int t ? $"-t{t}" : "")}-s{Seed}";
}
