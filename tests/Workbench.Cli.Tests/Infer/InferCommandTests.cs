using Workbench.Checkpoints;
using Workbench.Cli.Commands;
using Workbench.Tensors;

namespace Workbench.Cli.Tests.Infer;

/// <summary>
/// `workbench infer` on the PyTorch fixtures (tests/fixtures/pytorch): results and gradients match torch, and every
/// error is one line on stderr with a non-zero exit and no output file.
/// </summary>
public sealed class InferCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-infer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pytorch", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(name);
    }

    private string Temp(string name) => Path.Combine(_folder, name);

    private (int Code, string Out, string Err) Run(string model, string input, string output, bool float64 = false)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InferCommand.Run(model, input, output, float64, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes an IN file with the chosen tensors of a case fixture, optionally replacing or adding some.</summary>
    private string MakeInput(string caseName, string[] keep, params SafetensorsTensor[] extra)
    {
        SafetensorsFile source = SafetensorsFile.Load(Fixture($"case_{caseName}.safetensors"));
        var file = new SafetensorsFile();
        foreach (string name in keep)
            if (source.Contains(name) && !extra.Any(e => e.Name == name)) file.Add(source[name]);
        foreach (SafetensorsTensor t in extra) file.Add(t);
        string path = Temp($"in-{Guid.NewGuid():N}.safetensors");
        file.Save(path);
        return path;
    }

    private static void AssertClose(NdArray<double> expected, NdArray<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tolerance * (1 + Math.Abs(expected.Data[i])),
                $"{what}[{i}] = {actual.Data[i]}, torch gives {expected.Data[i]}");
    }

    public static TheoryData<string> Cases() => new("rnn_tanh", "rnn_relu", "gru", "lstm", "lstm_uni", "gru_uni");

    [Theory, MemberData(nameof(Cases))]
    public void OutputsStatesAndGradientsMatchTorch(string name)
    {
        // The case file itself is a valid IN: it holds input, h0, c0, lengths, grad_* (and torch's results, which infer ignores).
        string output = Temp("out.safetensors");
        var (code, stdout, stderr) = Run(Fixture($"model_{name}.safetensors"), Fixture($"case_{name}.safetensors"), output);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout);
        SafetensorsFile expected = SafetensorsFile.Load(Fixture($"case_{name}.safetensors"));
        SafetensorsFile actual = SafetensorsFile.Load(output);
        string[] wanted = expected.Names.Where(n => n is "output" or "h_n" or "c_n" || n.StartsWith("grad.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(wanted.Order(), actual.Names.Order());
        foreach (string tensor in wanted)
        {
            Assert.Equal(SafetensorsDType.F32, actual[tensor].DType);
            AssertClose(expected.GetArray<double>(tensor), actual.GetArray<double>(tensor), 1e-5, tensor);
        }
    }

    [Fact]
    public void Float64PrecisionMatchesTorchClosely()
    {
        string output = Temp("out64.safetensors");
        var (code, _, stderr) = Run(Fixture("model_lstm.safetensors"), Fixture("case_lstm.safetensors"), output, float64: true);
        Assert.True(code == 0, stderr);
        SafetensorsFile expected = SafetensorsFile.Load(Fixture("case_lstm.safetensors"));
        SafetensorsFile actual = SafetensorsFile.Load(output);
        Assert.Equal(SafetensorsDType.F64, actual["output"].DType);
        foreach (string tensor in (string[])["output", "h_n", "c_n", "grad.input", "grad.c0", "grad.weight_hh_l1_reverse"])
            AssertClose(expected.GetArray<double>(tensor), actual.GetArray<double>(tensor), 1e-9, tensor);
    }

    [Fact]
    public void WithoutGradOutputOnlyForwardResultsAreWrittenAndPaddingIsZero()
    {
        string input = MakeInput("gru", ["input", "lengths"]);
        string output = Temp("fwd.safetensors");
        var (code, _, stderr) = Run(Fixture("model_gru.safetensors"), input, output);
        Assert.True(code == 0, stderr);
        SafetensorsFile result = SafetensorsFile.Load(output);
        Assert.Equal(["output", "h_n"], result.Names);
        NdArray<float> y = result.GetArray<float>("output", 4, 3, 6);
        Assert.Equal([4, 3, 3], result["h_n"].Shape);
        // lengths are (3, 1, 2): batch entry 1 is padding from step 1 on, and every entry at step 3.
        for (int t = 1; t < 4; t++) for (int j = 0; j < 6; j++) Assert.Equal(0f, y[t, 1, j]);
        for (int j = 0; j < 6; j++) Assert.Equal(0f, y[3, 0, j]);
        Assert.NotEqual(0f, y[0, 1, 0]);
    }

    private void AssertFails(string model, string input, params string[] fragments)
    {
        string output = Temp("never.safetensors");
        var (code, stdout, stderr) = Run(model, input, output);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        string line = stderr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("workbench infer: ", line);
        foreach (string fragment in fragments) Assert.Contains(fragment, line);
        Assert.False(File.Exists(output), "an output file was left behind");
        Assert.Empty(Directory.GetFiles(_folder, "never.safetensors*"));
    }

    [Fact]
    public void MissingInputTensorIsNamed()
        => AssertFails(Fixture("model_lstm.safetensors"), MakeInput("lstm", ["h0", "c0"]), "'input'", "missing");

    [Fact]
    public void WrongStateShapeNamesTensorExpectedAndActual()
        => AssertFails(Fixture("model_lstm.safetensors"),
            MakeInput("lstm", ["input", "c0"], SafetensorsTensor.FromArray("h0", NdArray<float>.Zeros(2, 3, 3))),
            "'h0'", "(2, 3, 3)", "(4, 3, 3)");

    [Fact]
    public void WrongInputWidthIsNamed()
        => AssertFails(Fixture("model_gru.safetensors"),
            MakeInput("gru", [], SafetensorsTensor.FromArray("input", NdArray<float>.Zeros(4, 3, 5))), "'input'", "(4, 3, 5)", "input_size is 2");

    [Theory]
    [InlineData(0L)]
    [InlineData(5L)]
    [InlineData(-1L)]
    public void BadLengthsAreRejected(long bad)
        => AssertFails(Fixture("model_rnn_tanh.safetensors"),
            MakeInput("rnn_tanh", ["input"], SafetensorsTensor.FromInt64("lengths", [4, bad, 2], 3)), "'lengths'", $"= {bad}");

    [Fact]
    public void LengthsOfTheWrongCountOrTypeAreRejected()
    {
        AssertFails(Fixture("model_rnn_tanh.safetensors"),
            MakeInput("rnn_tanh", ["input"], SafetensorsTensor.FromInt64("lengths", [4, 2], 2)), "'lengths'", "(3,)");
        AssertFails(Fixture("model_rnn_tanh.safetensors"),
            MakeInput("rnn_tanh", ["input"], SafetensorsTensor.FromArray("lengths", new NdArray<float>([4, 2, 1], 3))), "'lengths'", "int64");
    }

    [Fact]
    public void NaNOrInfinityIsRejectedWithItsPosition()
    {
        var x = SafetensorsFile.Load(Fixture("case_gru.safetensors")).GetArray<float>("input");
        x[2, 1, 0] = float.NaN;
        AssertFails(Fixture("model_gru.safetensors"), MakeInput("gru", [], SafetensorsTensor.FromArray("input", x)), "'input'", "NaN", "[2, 1, 0]");
        var g = SafetensorsFile.Load(Fixture("case_gru.safetensors")).GetArray<float>("grad_output");
        g[0, 0, 0] = float.PositiveInfinity;
        AssertFails(Fixture("model_gru.safetensors"), MakeInput("gru", ["input"], SafetensorsTensor.FromArray("grad_output", g)), "'grad_output'");
    }

    [Theory]
    [InlineData("h0", "c0")]
    [InlineData("c0", "h0")]
    public void LstmStateHalfGivenIsRejected(string given, string missing)
        => AssertFails(Fixture("model_lstm.safetensors"), MakeInput("lstm", ["input", given]), $"'{given}'", $"'{missing}'", "together");

    [Fact]
    public void CellStateForANonLstmIsRejected()
        => AssertFails(Fixture("model_gru.safetensors"),
            MakeInput("gru", ["input"], SafetensorsTensor.FromArray("c0", NdArray<float>.Zeros(4, 3, 3))), "'c0'", "LSTM");

    [Fact]
    public void GradHnWithoutGradOutputIsRejected()
        => AssertFails(Fixture("model_lstm.safetensors"), MakeInput("lstm", ["input", "grad_h_n"]), "'grad_h_n'", "grad_output");

    [Fact]
    public void WrongGradOutputShapeIsNamed()
        => AssertFails(Fixture("model_lstm.safetensors"),
            MakeInput("lstm", ["input"], SafetensorsTensor.FromArray("grad_output", NdArray<float>.Zeros(4, 3, 3))), "'grad_output'", "(4, 3, 6)");

    [Fact]
    public void BadFilesAreReported()
    {
        string garbage = Temp("garbage.safetensors");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        AssertFails(Fixture("model_lstm.safetensors"), garbage, "garbage.safetensors");
        // A case file is not a model: no arch metadata.
        AssertFails(Fixture("case_lstm.safetensors"), Fixture("case_lstm.safetensors"), "'arch'");
    }

    [Fact]
    public void ProgramMainRunsTheVerbAndRejectsMissingOptions()
    {
        string output = Temp("main.safetensors");
        int code = Program.Main(["infer", "--model", Fixture("model_rnn_relu.safetensors"), "--input", Fixture("case_rnn_relu.safetensors"), "--output", output]);
        Assert.Equal(0, code);
        Assert.True(SafetensorsFile.Load(output).Contains("grad.weight_ih_l1_reverse"));
        Assert.Equal(Program.UsageError, Program.Main(["infer", "--model", Fixture("model_rnn_relu.safetensors")]));
        Assert.Equal(Program.UsageError, Program.Main(["infer", "--model", "m", "--input", "i", "--output", "o", "--precision", "float16"]));
        // A missing file is a usage error, as for every verb.
        Assert.Equal(Program.UsageError, Program.Main(["infer", "--model", Temp("missing"), "--input", Temp("missing"), "--output", Temp("x.safetensors")]));
        Assert.False(File.Exists(Temp("x.safetensors")));
    }
}
