using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Languages.Jupyter;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>#!python and #!connect jupyter with Debian's python3 kernelspec (python3-ipykernel, installed by scripts/install-deps.sh).</summary>
public sealed class PythonKernelTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<(CellExecutionResult Result, RecordingOutput Output)> Run(string code, CancellationToken token = default)
    {
        var output = new RecordingOutput();
        var result = await _session.ExecuteAsync(code, output, token);
        return (result, output);
    }

    private async Task<RecordingOutput> Ok(string code)
    {
        var (r, output) = await Run(code);
        Assert.True(r.Success, $"{r.Error?.Name}: {r.Error?.Value}\n{string.Join("\n", r.Error?.Traceback ?? Array.Empty<string>())}\n{output.Stderr}");
        return output;
    }

    private async Task<string> PythonText(string expression)
    {
        var (r, _) = await Run("#!python\n" + expression);
        Assert.True(r.Success, r.Error?.Value);
        return r.Result!.GetText("text/plain")!;
    }

    [Fact]
    public async Task PythonCellStreamsItsOutputAndItsLastValueIsTheResult()
    {
        var (r, output) = await Run("#!python\nimport sys\nprint('hello')\nprint('oops', file=sys.stderr)\n6 * 7");
        Assert.True(r.Success, r.Error?.Value);
        Assert.Equal("hello\n", output.Stdout);
        Assert.Equal("oops\n", output.Stderr);
        Assert.Equal("42", r.Result!.GetText("text/plain"));
        // Not the last part: the value is displayed, and the C# part's value is the result.
        var (r2, output2) = await Run("#!python\n'py'\n#!csharp\n1 + 1");
        Assert.True(r2.Success, r2.Error?.Value);
        Assert.Equal("'py'", Assert.Single(output2.Displays).Bundle.GetText("text/plain"));
        Assert.Equal("2", r2.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task PythonErrorIsTheCellErrorWithoutAnsiColours()
    {
        var (r, _) = await Run("#!python\nx = 1\n1 / 0");
        Assert.False(r.Success);
        Assert.Equal("ZeroDivisionError", r.Error!.Name);
        Assert.Equal("division by zero", r.Error.Value);
        Assert.NotEmpty(r.Error.Traceback);
        Assert.DoesNotContain(r.Error.Traceback, t => t.Contains('\x1b'));
        Assert.Contains(r.Error.Traceback, t => t.Contains("ZeroDivisionError"));
    }

    [Fact]
    public async Task DisplayAndUpdateDisplayReachTheCell()
    {
        var output = await Ok("#!python\nfrom IPython.display import display, update_display\nh = display('first', display_id=True)\nupdate_display('second', display_id=h.display_id)");
        Assert.Equal(2, output.Displays.Count);
        Assert.Equal(("display", "'first'"), (output.Displays[0].Kind, output.Displays[0].Bundle.GetText("text/plain")));
        Assert.Equal(("update", "'second'"), (output.Displays[1].Kind, output.Displays[1].Bundle.GetText("text/plain")));
        Assert.NotNull(output.Displays[0].Id);
        Assert.Equal(output.Displays[0].Id, output.Displays[1].Id);
    }

    [Fact]
    public async Task JsonValuesCrossBothWays()
    {
        await Ok("var n = 3; var s = \"h\u00e9llo \\\"q\\\"\"; var b = true; var list = new List<object> { 1, 2.5, \"x\", null };\n" +
                 "var d = new Dictionary<string, object> { [\"a\"] = 1L, [\"nested\"] = new[] { new[] { 1, 2 }, new[] { 3, 4 } } };");
        await Ok("#!python\n#!set --name n --value @csharp:n\n#!set --name s --value @csharp:s\n#!set --name b --value @csharp:b\n" +
                 "#!share --from csharp list\n#!set --name d --value @csharp:d");
        Assert.Equal("(3, 'héllo \"q\"', True, [1, 2.5, 'x', None])", await PythonText("(n, s, b, list)"));
        // Nested .NET int arrays arrive as numpy arrays inside the dict.
        Assert.Equal("(1, [[1, 2], [3, 4]], 'int32')", await PythonText("(d['a'], [a.tolist() for a in d['nested']], d['nested'][0].dtype.name)"));

        await Ok("#!python\nback = {'k': [1, 2.5, None, 'z'], 'big': 2**40, 'neg0': -0.0, 'inf': float('inf')}\nt = (1, 2)");
        var output = await Ok("#!set --name back --value @python:back\n#!set --name t --value @python:t\n" +
                              "var k = (object[])back[\"k\"];\n" +
                              "Console.Write($\"{k[0]}|{k[1]}|{k[2] is null}|{k[3]}|{back[\"big\"]}|{back[\"big\"].GetType().Name}|{double.IsNegative((double)back[\"neg0\"])}|{back[\"inf\"]}|{t.Length}\");");
        Assert.Equal("1|2.5|True|z|1099511627776|Int64|True|Infinity|2", output.Stdout);
    }

    [Fact]
    public async Task NumpyArraysComeBackAsTypedDotNetArrays()
    {
        await Ok("#!python\nimport numpy as np\nv = np.arange(6, dtype=np.float32)\nm = np.arange(6, dtype=np.float64).reshape(2, 3)\n" +
                 "c = np.arange(24, dtype=np.int64).reshape(2, 3, 4)\ni = np.array([1, -2], dtype=np.int32)\nz = np.float32(2.5)\nf = m.T");
        var output = await Ok("#!set --name v --value @python:v\n#!set --name m --value @python:m\n#!set --name c --value @python:c\n" +
                              "#!set --name i --value @python:i\n#!set --name z --value @python:z\n#!set --name f --value @python:f\n" +
                              "Console.Write($\"{v.GetType().Name} {m.GetType().Name} {c.GetType().Name} {i.GetType().Name} {z.GetType().Name} {f.GetType().Name} {m[1, 2]} {c[1, 2, 3]} {f[2, 1]} {v[5]}\");");
        // m.T is not C-contiguous: it crosses as the transposed values, row-major.
        Assert.Equal("Single[] Double[,] Int64[,,] Int32[] Double Double[,] 5 23 5 5", output.Stdout);
    }

    [Fact]
    public async Task FloatArraysCrossBitExactBothWays()
    {
        // NaN payloads (quiet and signalling-looking), ±Inf, −0.0, subnormals, the extremes; three shapes and empty arrays.
        await Ok("""
            using System.Security.Cryptography;
            static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);
            static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
            var f1 = new[] { F(0x7FC00001), F(0xFFC12345), F(0x7F800001), float.PositiveInfinity, float.NegativeInfinity, -0.0f, 0.0f,
                             F(0x00000001), F(0x807FFFFF), float.Epsilon, float.MaxValue, float.MinValue, 1f / 3f };
            var d1 = new[] { D(0x7FF8000000000001), D(0xFFF4000000000000), D(0x7FF0000000000001), double.PositiveInfinity, double.NegativeInfinity,
                             -0.0, 0.0, D(0x0000000000000001), D(0x800FFFFFFFFFFFFF), double.MaxValue, double.MinValue, 1.0 / 3.0 };
            var f2 = new float[3, 4]; for (var i = 0; i < 12; i++) f2[i / 4, i % 4] = f1[i];
            var d3 = new double[2, 3, 2]; for (var i = 0; i < 12; i++) d3[i / 6, i / 2 % 3, i % 2] = d1[i];
            var e1 = new float[0]; var e2 = new double[0, 3];
            var rng = new Random(7);
            var big = new float[1_000_000]; for (var i = 0; i < big.Length; i++) big[i] = BitConverter.Int32BitsToSingle(rng.Next());
            static string Sha(Array a) { var bytes = new byte[Buffer.ByteLength(a)]; Buffer.BlockCopy(a, 0, bytes, 0, bytes.Length); return Convert.ToHexStringLower(SHA256.HashData(bytes)); }
            var hashes = string.Join(",", new Array[] { f1, d1, f2, d3, e1, e2, big }.Select(Sha));
            """);
        await Ok("#!python\n#!set --name f1 --value @csharp:f1\n#!set --name d1 --value @csharp:d1\n#!set --name f2 --value @csharp:f2\n" +
                 "#!set --name d3 --value @csharp:d3\n#!set --name e1 --value @csharp:e1\n#!set --name e2 --value @csharp:e2\n#!set --name big --value @csharp:big\n" +
                 "import hashlib\narrays = [f1, d1, f2, d3, e1, e2, big]\n" +
                 "hashes = ','.join(hashlib.sha256(a.tobytes()).hexdigest() for a in arrays)\n" +
                 "shapes = ';'.join(f'{a.dtype.name}{list(a.shape)}' for a in arrays)");
        // Python's bytes are the .NET bytes: the same SHA-256 per array.
        await Ok("#!python\n#!set --name cs_hashes --value @csharp:hashes");
        Assert.Equal("(True, 7)", await PythonText("(hashes == cs_hashes, len(cs_hashes.split(',')))"));
        Assert.Equal("'float32[13];float64[12];float32[3, 4];float64[2, 3, 2];float32[0];float64[0, 3];float32[1000000]'", await PythonText("shapes"));
        // And back: every array returns to .NET with its type, shape and bits.
        var output = await Ok("#!set --name f1b --value @python:f1\n#!set --name d1b --value @python:d1\n#!set --name f2b --value @python:f2\n" +
                              "#!set --name d3b --value @python:d3\n#!set --name e1b --value @python:e1\n#!set --name e2b --value @python:e2\n#!set --name bigb --value @python:big\n" +
                              "Console.Write(string.Join(\",\", new Array[] { f1b, d1b, f2b, d3b, e1b, e2b, bigb }.Select(Sha)) == hashes);\n" +
                              "Console.Write($\" {f2b.GetType().Name}{f2b.GetLength(0)}x{f2b.GetLength(1)} {d3b.GetType().Name} {e2b.GetLength(1)}\");");
        Assert.Equal("True Single[,]3x4 Double[,,] 3", output.Stdout);
        // Python's own NaN payloads survive the way back too.
        var back = await Ok("#!python\nimport numpy as np\npy = np.array([0x7FC00ABC, 0xFF800001], dtype=np.uint32).view(np.float32)\n" +
                            "#!csharp\n#!set --name py --value @python:py\nConsole.Write(string.Join(\",\", py.Select(x => BitConverter.SingleToUInt32Bits(x).ToString(\"X8\"))));");
        Assert.Equal("7FC00ABC,FF800001", back.Stdout);
    }

    [Fact]
    public async Task NdArrayShapedObjectsMathNetAndDataFramesArriveAsNumpy()
    {
        await Ok("""
            public sealed class Tensor { public int[] Shape { get; } = { 2, 3 }; public float[] Data { get; } = { 1, 2, 3, 4, 5, 6 }; }
            var nd = new Tensor();
            var mv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(new[] { 1.0, 2.0 });
            var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
            var df = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.DoubleDataFrameColumn("x", new[] { 1.0, 2.0 }),
                new Microsoft.Data.Analysis.StringDataFrameColumn("name", new[] { "a", "b" }));
            """);
        await Ok("#!python\n#!set --name nd --value @csharp:nd\n#!set --name mv --value @csharp:mv\n#!set --name mm --value @csharp:mm\n#!set --name df --value @csharp:df");
        Assert.Equal("('float32', (2, 3), 6.0)", await PythonText("(nd.dtype.name, nd.shape, nd[1, 2].item())"));
        Assert.Equal("((2,), (2, 3), 6.0, 4.0)", await PythonText("(mv.shape, mm.shape, mm[1, 2].item(), mm[1, 0].item())"));
        // Without pandas (Debian's python3 here has none) a data frame is a dict of columns.
        var frame = await PythonText("df if isinstance(df, dict) else {c: df[c].tolist() for c in df.columns}");
        Assert.Contains("'x': array([1., 2.])", frame.Replace("\n", ""));
        Assert.Contains("'name': ['a', 'b']", frame);
    }

    [Fact]
    public async Task ValuesThatCannotCrossNameTheVariableTheLanguageAndTheReason()
    {
        await Ok("#!python\nimport threading\nlk = threading.Lock()");
        var (r, _) = await Run("#!set --name lk --value @python:lk");
        Assert.False(r.Success);
        Assert.Contains("'lk'", r.Error!.Value);
        Assert.Contains("python", r.Error.Value);
        Assert.Contains("has no JSON form", r.Error.Value);

        await Ok("var fn = new Func<int>(() => 1);");
        var (r2, _) = await Run("#!python\n#!set --name fn --value @csharp:fn");
        Assert.False(r2.Success);
        Assert.Contains("'fn'", r2.Error!.Value);
        Assert.Contains("python", r2.Error.Value);

        var (r3, _) = await Run("#!set --name q --value @python:no_such_variable");
        Assert.Contains("no variable 'no_such_variable'", r3.Error!.Value);
    }

    [Fact]
    public async Task InterruptStopsALongPythonCellAndTheNextCellRuns()
    {
        using var cts = new CancellationTokenSource();
        var output = new SignallingOutput("sleeping", cts);
        var result = await _session.ExecuteAsync("#!python\nimport time\nprint('sleeping', flush=True)\ntime.sleep(60)\nprint('woke')", output, cts.Token);
        Assert.False(result.Success);
        Assert.True(result.Cancelled);
        Assert.Equal("KeyboardInterrupt", result.Error!.Name);
        Assert.DoesNotContain("woke", output.Stdout);
        Assert.Equal("2", await PythonText("1 + 1"));
    }

    [Fact]
    public async Task DeadKernelIsReportedAndTheSessionGoesOn()
    {
        await Ok("#!python\nsurvivor = 1");
        var (r, _) = await Run("#!python\nimport os\nos._exit(3)");
        Assert.False(r.Success);
        Assert.Equal("KernelDied", r.Error!.Name);
        Assert.Contains("the python kernel died (exit code 3)", r.Error.Value);
        Assert.Equal("2", (await Run("1 + 1")).Result.Result!.GetText("text/plain"));
        // The next Python cell starts a new kernel: its variables are gone.
        var (r2, _) = await Run("#!python\n'survivor' in globals()");
        Assert.Equal("False", r2.Result!.GetText("text/plain"));

        // Killed between cells: the next Python cell says so and runs on a new kernel.
        var kernel = (JupyterKernel)_session.GetKernel("python");
        var pid = kernel.Client!.ProcessId;
        kernel.Client.KillProcess();
        System.Diagnostics.Process.GetProcessById(pid).WaitForExit();
        while (!kernel.Client.IsDead) await Task.Delay(20);
        var (r3, output3) = await Run("#!python\n5");
        Assert.True(r3.Success, r3.Error?.Value);
        Assert.Equal("5", r3.Result!.GetText("text/plain"));
        Assert.Contains("the python kernel died (exit code 137)", output3.Stderr);
        Assert.Contains("started a new python3 kernel", output3.Stderr);
    }

    [Fact]
    public async Task ConnectAddsANamedKernelAndChecksItsOptions()
    {
        var (r, output) = await Run("#!connect jupyter --kernel-name py2 --kernel-spec python3");
        Assert.True(r.Success, r.Error?.Value);
        Assert.Equal("Kernel added: #!py2", Assert.Single(output.Displays).Bundle.GetText("text/plain"));
        var (r2, _) = await Run("#!py2\nimport sys\nsys.version_info[0]");
        Assert.Equal("3", r2.Result!.GetText("text/plain"));

        var (missing, _) = await Run("#!connect jupyter --kernel-name p3");
        Assert.Contains("Option '--kernel-spec' is required.", missing.Error!.Value);
        var (taken, _) = await Run("#!connect jupyter --kernel-name csharp --kernel-spec python3");
        Assert.Contains("The kernel name or alias 'csharp' is already in use.", taken.Error!.Value);
        var (remote, _) = await Run("#!connect jupyter --kernel-name r --kernel-spec python3 --url http://localhost:8888");
        Assert.Contains("--url is not supported", remote.Error!.Value);
        var (unknownSpec, _) = await Run("#!connect jupyter --kernel-name nope --kernel-spec no-such-kernelspec");
        Assert.Equal("MagicError", unknownSpec.Error!.Name);
        Assert.Contains("no Jupyter kernelspec named 'no-such-kernelspec'", unknownSpec.Error.Value);
        Assert.Contains("/usr/share/jupyter/kernels", unknownSpec.Error.Value);
    }

    [Fact]
    public async Task MissingKernelspecFailsTheCellNotTheSession()
    {
        var empty = Directory.CreateTempSubdirectory("no-kernels-").FullName;
        try
        {
            _session.AddKernel(new JupyterKernel("python", "python3", kernelDirectories: () => new[] { empty }));
            var (r, _) = await Run("#!python\n1");
            Assert.Equal("KernelNotAvailable", r.Error!.Name);
            Assert.Contains("no Jupyter kernelspec named 'python3'", r.Error.Value);
            Assert.Contains(empty, r.Error.Value);
            Assert.Equal("2", (await Run("1 + 1")).Result.Result!.GetText("text/plain"));
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public async Task CompletionAndInspectionComeFromTheKernel()
    {
        var kernel = (JupyterKernel)_session.GetKernel("python");
        var completion = await kernel.CompleteAsync("import o", 8, default);
        Assert.Contains("os", completion.Matches);
        Assert.Equal(7, completion.CursorStart);
        var doc = await kernel.InspectAsync("len", 3, default);
        Assert.NotNull(doc);
        Assert.Contains("Return the number of items", doc);
        Assert.DoesNotContain('\x1b', doc);
    }

    [Fact]
    public async Task DisposeShutsThePythonKernelDown()
    {
        using var session = new NotebookSession();
        var r = await session.ExecuteAsync("#!python\nimport os\nos.getpid()", new RecordingOutput());
        var pid = int.Parse(r.Result!.GetText("text/plain")!);
        var process = System.Diagnostics.Process.GetProcessById(pid);
        session.Dispose();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    private sealed class SignallingOutput(string text, CancellationTokenSource cancel) : ICellOutput
    {
        private readonly RecordingOutput _inner = new();

        public string Stdout => _inner.Stdout;

        public void Stream(string name, string chunk)
        {
            _inner.Stream(name, chunk);
            if (_inner.Stdout.Contains(text)) cancel.Cancel();
        }

        public void Display(Workbench.Notebooks.Formatting.MimeBundle bundle, string? displayId) => _inner.Display(bundle, displayId);

        public void UpdateDisplay(Workbench.Notebooks.Formatting.MimeBundle bundle, string displayId) => _inner.UpdateDisplay(bundle, displayId);
    }
}
