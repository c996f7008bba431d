// The TorchSharp peer of `workbench bench`: the same models, shapes, step and tokens/s definition as
// scripts/bench/pytorch_bench.py (which mirrors src/Workbench.Core/Benchmarks). One cell per process:
//   torchsharp-bench MODEL SHAPE MODE REPS   ->  one CSV line on stdout: model,shape,mode,tokens_per_s,gflops,
// Training: embedding (65 -> E), the recurrent layer, a Linear head at every step, cross-entropy, backward, Adam.
// Inference: the model's recurrent layer's forward alone (bidirectional GRU for bigru) on embedded tokens. float32, torch.set_num_threads(2), random tokens.
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

const int Vocabulary = 65;
var shapes = new Dictionary<string, (int E, int H, int B, int T)>
{
    ["tiny"] = (16, 32, 1, 50), ["small"] = (64, 128, 32, 100), ["medium"] = (128, 256, 64, 100), ["large"] = (256, 512, 64, 100),
};
var gates = new Dictionary<string, int> { ["rnn"] = 1, ["gru"] = 3, ["lstm"] = 4, ["bigru"] = 3 };
// A named shape, or E×H×B×T spelled with x (the scaling runs).
bool TryShape(string text, out (int E, int H, int B, int T) shape)
{
    if (shapes.TryGetValue(text, out shape)) return true;
    int[] sizes = [.. text.Split('x').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0)];
    shape = sizes.Length == 4 ? (sizes[0], sizes[1], sizes[2], sizes[3]) : default;
    return sizes.Length == 4 && sizes.All(v => v > 0);
}
if (args.Length != 4 || !gates.ContainsKey(args[0]) || !TryShape(args[1], out var size) || args[2] is not ("train" or "infer") || !int.TryParse(args[3], out int reps) || reps < 1)
{
    Console.Error.WriteLine("torchsharp-bench: usage: MODEL(rnn|gru|lstm|bigru) SHAPE(tiny|small|medium|large|ExHxBxT) MODE(train|infer) REPS(>=1)");
    return 2;
}
string model = args[0], shape = args[1], mode = args[2];
var (e, h, b, t) = size;
torch.set_num_threads(2);
torch.manual_seed(1234);

var embedding = nn.Embedding(Vocabulary, e);
nn.Module recurrentModule;
Func<Tensor, Tensor> Recurrent;
switch (model)
{
    case "lstm": { var m = nn.LSTM(e, h); (recurrentModule, Recurrent) = (m, x => m.forward(x, null).Item1); break; }
    case "rnn": { var m = nn.RNN(e, h, nonLinearity: nn.NonLinearities.Tanh); (recurrentModule, Recurrent) = (m, x => m.forward(x, null).Item1); break; }
    default: { var m = nn.GRU(e, h, bidirectional: model == "bigru"); (recurrentModule, Recurrent) = (m, x => m.forward(x, null).Item1); break; }
}
int directions = model == "bigru" ? 2 : 1;
var head = nn.Linear(directions * h, Vocabulary);
var parameters = embedding.parameters().Concat(recurrentModule.parameters()).Concat(head.parameters()).ToList();
var optimizer = optim.Adam(parameters, lr: 1e-3);
var lossFunction = nn.CrossEntropyLoss();
var ids = randint(0, Vocabulary, [t, b], dtype: int64);
var targets = randint(0, Vocabulary, [t * b], dtype: int64);
Tensor embedded;
using (no_grad()) embedded = embedding.forward(ids).detach();

void TrainStep()
{
    using var scope = NewDisposeScope();
    Tensor logits = head.forward(Recurrent(embedding.forward(ids)));
    Tensor loss = lossFunction.forward(logits.reshape(t * b, Vocabulary), targets);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
}

void InferStep()
{
    using var scope = NewDisposeScope();
    using var _ = no_grad();
    Recurrent(embedded);
}

Action step = mode == "train" ? TrainStep : InferStep;
// Warm-up as pytorch_bench.py: at least 3 steps and 0.5 s (libtorch has no JIT tiers; the .NET side is thin).
var clock = Stopwatch.StartNew();
int warm = 0;
while (warm < 3 || clock.Elapsed.TotalSeconds < 0.5) { step(); warm++; }
int stepsPerRep = (int)Math.Clamp(0.2 / (clock.Elapsed.TotalSeconds / warm), 1, 10_000);
var seconds = new double[reps];
for (int rep = 0; rep < reps; rep++)
{
    clock.Restart();
    for (int s = 0; s < stepsPerRep; s++) step();
    seconds[rep] = clock.Elapsed.TotalSeconds / stepsPerRep;
}
Array.Sort(seconds);
double median = reps % 2 == 1 ? seconds[reps / 2] : 0.5 * (seconds[reps / 2 - 1] + seconds[reps / 2]);
double layer = 2.0 * t * b * gates[model] * h * directions * (e + h);
double flops = mode == "infer" ? layer : 3 * (layer + 2.0 * t * b * directions * h * Vocabulary);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model},{shape},{mode},{t * b / median:F1},{flops / median / 1e9:F3},"));
return 0;
