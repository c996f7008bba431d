// The ONNX Runtime peer of `workbench bench`, inference only: a model's recurrent layer (rnn, gru, lstm, bigru) forward
// on embedded tokens, from the model export_models.py wrote with torch.onnx.export. One cell per process:
//   onnxruntime-bench MODEL_DIR MODEL SHAPE REPS  ->  one CSV line on stdout: MODEL,SHAPE,infer,tokens_per_s,gflops,
// Before timing, ONNX Runtime's output on the fixture's saved input must match PyTorch's saved output within 1e-4
// (max absolute difference); otherwise it exits 1 naming the model, shape and difference, so a wrong export is never timed.
// Same shapes, tokens/s definition and repetition protocol as scripts/bench/pytorch_bench.py; 2 intra-op threads.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

var shapes = new Dictionary<string, (int E, int H, int B, int T)>
{
    ["tiny"] = (16, 32, 1, 50), ["small"] = (64, 128, 32, 100), ["medium"] = (128, 256, 64, 100), ["large"] = (256, 512, 64, 100),
};
// Gates per direction and directions, as the workbench's BenchmarkStep counts them.
var models = new Dictionary<string, (int Gates, int Directions)> { ["rnn"] = (1, 1), ["gru"] = (3, 1), ["lstm"] = (4, 1), ["bigru"] = (3, 2) };
if (args.Length != 4 || !models.ContainsKey(args[1]) || !shapes.ContainsKey(args[2]) || !int.TryParse(args[3], out int reps) || reps < 1)
{
    Console.Error.WriteLine("onnxruntime-bench: usage: MODEL_DIR MODEL(rnn|gru|lstm|bigru) SHAPE(tiny|small|medium|large) REPS(>=1)");
    return 2;
}
string model = args[1], shape = args[2], stem = Path.Combine(args[0], $"{model}-{shape}");
foreach (string file in new[] { ".onnx", ".input.bin", ".output.bin" })
    if (!File.Exists(stem + file))
    {
        Console.Error.WriteLine($"onnxruntime-bench: {stem + file} not found (run export_models.py first)");
        return 1;
    }
var (e, h, b, t) = shapes[shape];
var (gates, directions) = models[model];
int width = directions * h;
using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
using var session = new InferenceSession(stem + ".onnx", options);
var input = new float[t * b * e];
var output = new float[t * b * width];
// Input and output bound once to managed buffers: a step is the session's Run and nothing else.
using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [t, b, e]);
using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [t, b, width]);
using var runOptions = new RunOptions();
string[] inputNames = ["x"], outputNames = ["y"];
OrtValue[] inputs = [inputValue], outputs = [outputValue];
void Step() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

// Parity with PyTorch on the fixture's input (little-endian float32, as export_models.py writes it).
float[] expected = ReadFloats(stem + ".output.bin", output.Length);
ReadFloats(stem + ".input.bin", input.Length).CopyTo(input, 0);
Step();
double worst = 0;
for (int i = 0; i < output.Length; i++)
    worst = Math.Max(worst, float.IsFinite(output[i]) ? Math.Abs(output[i] - expected[i]) : double.PositiveInfinity);
if (!(worst <= 1e-4))
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"onnxruntime-bench: {model} {shape}: ONNX Runtime's output differs from PyTorch's by up to {worst:G3} (limit 1e-4); not timed"));
    return 1;
}
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnxruntime-bench: {model} {shape}: matches PyTorch (max |difference| {worst:G3})"));

var random = new Random(1234);
for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
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
double flops = 2.0 * t * b * gates * h * directions * (e + h);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model},{shape},infer,{t * b / median:F1},{flops / median / 1e9:F3},"));
return 0;

static float[] ReadFloats(string path, int count)
{
    byte[] bytes = File.ReadAllBytes(path);
    if (bytes.Length != 4 * count)
        throw new InvalidDataException($"{path}: {bytes.Length} bytes, expected {4 * count} ({count} float32); re-run export_models.py");
    if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the fixture is little-endian float32");
    return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
