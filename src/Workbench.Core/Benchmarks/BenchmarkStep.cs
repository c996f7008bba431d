using Workbench.Layers;
using Workbench.Losses;
using Workbench.Optimizers;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Benchmarks;

/// <summary>
/// The benchmarked model: embedding (65 → E), the recurrent layer, a Linear head at every step, softmax
/// cross-entropy, backward through all of it and an Adam step — in float, on random tokens.
/// </summary>
/// <remarks>
/// Every layer runs with ReuseOutputs and the loss writes into a kept gradient buffer, so that a step allocates
/// nothing once warmed up (BenchmarkStepTests checks it).
/// </remarks>
public sealed class BenchmarkStep
{
    /// <summary>Vocabulary of the character-level task the shapes come from.</summary>
    public const int Vocabulary = 65;

    private readonly Embedding<float> embedding;
    private readonly RecurrentLayer<float> recurrent;
    private readonly Linear<float> head;
    private readonly Adam<float> optimizer;
    private readonly int[] ids, targets, idsShape;
    private readonly NdArray<float> inferenceInput, lossGradient;
    // Reshaped views of the layers' reused outputs, remade only when a layer hands back a different array.
    private NdArray<float>? layerOutput, layerOutputRows, headGradient, headGradientSteps;
    private readonly int steps, batch, width;

    /// <summary>Builds model <paramref name="model"/> (rnn, gru, lstm, bigru) for embedding E, hidden H, batch B and T steps.</summary>
    public BenchmarkStep(string model, int e, int h, int b, int t, int seed)
    {
        var random = new Random(seed);
        (steps, batch) = (t, b);
        RecurrentKind kind = model switch { "rnn" => RecurrentKind.RnnTanh, "lstm" => RecurrentKind.Lstm, _ => RecurrentKind.Gru };
        var options = new RecurrentLayerOptions(kind, e, h) { Bidirectional = model == "bigru", Seed = seed, ReuseOutputs = true };
        recurrent = new RecurrentLayer<float>(options);
        width = recurrent.OutputSize;
        embedding = new Embedding<float>(Vocabulary, e, random) { ReuseOutputs = true };
        head = new Linear<float>(width, Vocabulary, random) { ReuseOutputs = true };
        optimizer = new Adam<float>([.. embedding.Parameters, .. recurrent.Parameters, .. head.Parameters], learningRate: 1e-3);
        ids = new int[t * b];
        targets = new int[t * b];
        for (int i = 0; i < ids.Length; i++) { ids[i] = random.Next(Vocabulary); targets[i] = random.Next(Vocabulary); }
        idsShape = [t, b];
        inferenceInput = embedding.Forward(ids, idsShape).Clone();
        lossGradient = NdArray<float>.Zeros(t * b, Vocabulary);

        // Multiply-adds ×2: the layer's input and recurrent products, then the head; backward costs twice forward.
        int gates = options.GateCount, directions = options.NumDirections;
        double layerForward = 2.0 * t * b * gates * h * directions * (e + h);
        double headForward = 2.0 * t * b * width * Vocabulary;
        InferFlops = layerForward;
        TrainFlops = 3 * (layerForward + headForward);
    }

    /// <summary>Tokens one step processes: T × B.</summary>
    public int Tokens => steps * batch;

    /// <summary>Floating-point operations of one training step (forward, backward, head).</summary>
    public double TrainFlops { get; }

    /// <summary>Floating-point operations of one inference step (the recurrent layer's forward).</summary>
    public double InferFlops { get; }

    /// <summary>Forward, loss, backward and an Adam step.</summary>
    public void TrainStep()
    {
        NdArray<float> x = embedding.Forward(ids, idsShape);
        RecurrentOutput<float> output = recurrent.Forward(x);
        if (!ReferenceEquals(output.Output, layerOutput))
            (layerOutput, layerOutputRows) = (output.Output, output.Output.Reshape(steps * batch, width));
        NdArray<float> logits = head.Forward(layerOutputRows!);
        CrossEntropyLoss.Compute(logits, targets, lossGradient, out _);
        NdArray<float> gradFeatures = head.Backward(lossGradient);
        if (!ReferenceEquals(gradFeatures, headGradient))
            (headGradient, headGradientSteps) = (gradFeatures, gradFeatures.Reshape(steps, batch, width));
        RecurrentGradients<float> grads = recurrent.Backward(headGradientSteps!);
        embedding.Backward(grads.Input);
        optimizer.Step();
        optimizer.ZeroGrad();
    }

    /// <summary>The recurrent layer's forward pass on embedded tokens.</summary>
    public void InferStep() => recurrent.Forward(inferenceInput);
}
