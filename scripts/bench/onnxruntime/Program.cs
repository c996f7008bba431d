// The ONNX Runtime peer of `workbench bench`, inference only: the GRU layer's forward on embedded tokens, from the
// model export_models.py wrote with torch.onnx.export. One cell per process:
//   onnxruntime-bench MODEL_DIR SHAPE REPS  ->  one CSV line on stdout: gru,SHAPE,infer,tokens_per_s,gflops,
// Same shapes, tokens/s definition and repetition protocol as scripts/bench/pytorch_bench.py; 2 intra-op threads.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

var shapes = new Dictionary<string, (int E, int H, int B, int T)>
{
    ["tiny"] = (16, 32, 1, 50), ["small"] = (64, 128, 32, 100), ["medium"] = (128, 256, 64, 100), ["large"] = (256, 512, 64, 100),
};
if (args.Length != 3 || !shapes.ContainsKey(args[1]) || !int.TryParse(args[2], out int reps) || reps < 1)
{
    Console.Error.WriteLine("onnxruntime-bench: usage: MODEL_DIR SHAPE(tiny|small|medium|large) REPS(>=1)");
    return 2;
}
string shape = args[1], path = Path.Combine(args[0], $"gru-{shape}.onnx");
if (!File.Exists(path))
{
    Console.Error.WriteLine($"onnxruntime-bench: {path} not found (run export_models.py first)");
    return 1;
}
var (e, h, b, t) = shapes[shape];
using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
using var session = new InferenceSession(path, options);
var random = new Random(1234);
var input = new float[t * b * e];
for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
var output = new float[t * b * h];
// Input and output bound once to managed buffers: a step is the session's Run and nothing else.
using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [t, b, e]);
using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [t, b, h]);
using var runOptions = new RunOptions();
string[] inputNames = ["x"], outputNames = ["y"];
OrtValue[] inputs = [inputValue], outputs = [outputValue];
void Step() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

var clock = Stopwatch.StartNew();
int warm = 0;
while (warm < 3 || clock.Elapsed.TotalSeconds < 0.5) { Step(); warm++; }
int stepsPerRep = (int)Math.Clamp(0.2 / (clock.Elapsed.TotalSeconds / warm), 1, 10_000);
var seconds = new double[reps];
for (int rep = 0; rep < reps; rep++)
{
    clock.Restart();
    for (int s = 0; s < stepsPerRep; s++) Step();
    seconds[rep] = clock.Elapsed.TotalSeconds / stepsPerRep;
}
Array.Sort(seconds);
double median = reps % 2 == 1 ? seconds[reps / 2] : 0.5 * (seconds[reps / 2 - 1] + seconds[reps / 2]);
double flops = 2.0 * t * b * 3 * h * (e + h);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gru,{shape},infer,{t * b / median:F1},{flops / median / 1e9:F3},"));
return 0;
