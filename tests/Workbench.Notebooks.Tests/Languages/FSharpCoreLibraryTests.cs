using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>The workbench's core library from F# cells, as a notebook uses it: C# loads it with #:project, F# #r's the dll.</summary>
public sealed class FSharpCoreLibraryTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        throw new InvalidOperationException("Workbench.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task GruForwardInFSharpMatchesItsEquationsAndTheCSharpRun()
    {
        using var session = new NotebookSession(new NotebookSessionOptions { WorkingDirectory = RepositoryRoot() });
        var cs = await session.ExecuteAsync(
            "#:project src/Workbench.Core\nusing Workbench.Recurrent;\nusing Workbench.Tensors;\n" +
            "var xs = Enumerable.Range(0, 18).Select(i => Math.Sin(i * 0.7)).ToArray();\n" +
            "var csOutput = new Gru<double>(3, 4, seed: 7).Forward(new NdArray<double>(xs, 6, 1, 3)).Output.Data;\n" +
            "var csType = typeof(Gru<double>);", new RecordingOutput());
        Assert.Null(cs.Error);

        var fs = await session.ExecuteAsync("""
            #!fsharp
            #r "src/Workbench.Core/bin/Release/net10.0/Workbench.Core.dll"
            open MathNet.Numerics.LinearAlgebra
            open Workbench.Recurrent
            open Workbench.Tensors

            let layer = Gru<float>(3, 4, seed = 7)
            let xs = Array.init 18 (fun i -> sin (float i * 0.7))
            let fsOutput = layer.Forward(NdArray<float>(xs, 6, 1, 3)).Output.Data
            let fsType = typeof<Gru<float>>

            // The GRU equations (PyTorch's convention) with the layer's own weights.
            let cell = GruCell<float>.FromLayer(layer)
            let sigma (v: Vector<float>) = v.Map(fun a -> 1.0 / (1.0 + exp -a))
            let step (h: Vector<float>) (x: Vector<float>) =
                let r = sigma (cell.WeightIr * x + cell.BiasIr + cell.WeightHr * h + cell.BiasHr)
                let z = sigma (cell.WeightIz * x + cell.BiasIz + cell.WeightHz * h + cell.BiasHz)
                let n = (cell.WeightIn * x + cell.BiasIn + r.PointwiseMultiply(cell.WeightHn * h + cell.BiasHn)).PointwiseTanh()
                z.SubtractFrom(1.0).PointwiseMultiply(n) + z.PointwiseMultiply(h)
            let inputs = [ for t in 0 .. 5 -> Vector<float>.Build.DenseOfArray(xs[3 * t .. 3 * t + 2]) ]
            let states = inputs |> List.scan step (Vector<float>.Build.Dense 4) |> List.tail
            let equations = states |> Seq.collect id |> Array.ofSeq
            Array.map2 (fun a b -> abs (a - b)) equations fsOutput |> Array.max
            """, new RecordingOutput());
        Assert.Null(fs.Error);
        Assert.True(double.Parse(fs.Result!.GetText("text/plain")!, System.Globalization.CultureInfo.InvariantCulture) < 1e-12, fs.Result.GetText("text/plain"));

        var fsOutput = (double[])(await session.GetKernel("fsharp").GetValueAsync("fsOutput", default))!.Object!;
        var csOutput = (double[])(await session.CSharp.GetValueAsync("csOutput", default))!.Object!;
        Assert.Equal(24, fsOutput.Length);
        Assert.Equal(csOutput, fsOutput);
        // One Workbench.Core in the process: F# and C# see the same type.
        Assert.Same((await session.CSharp.GetValueAsync("csType", default))!.Object, (await session.GetKernel("fsharp").GetValueAsync("fsType", default))!.Object);
    }
}
