using System.Diagnostics;
using System.Numerics;
using Workbench.Layers;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Benchmarks;

/// <summary>
/// A quick side-by-side timing of recurrent layers, for a notebook's table: microseconds per time step of one
/// forward and one backward pass over a random (T, B, I) batch. For numbers to publish use
/// <see cref="RecurrentBenchmark"/> (<c>workbench bench</c>); docs/performance.md describes both.
/// </summary>
/// <remarks>
/// Every layer is warmed up first (JIT tiers, workspaces), then the passes are timed round-robin, every layer once
/// per round, so that a burst of load from other processes hits all of them alike; the fastest pass of each layer
/// counts, being the least disturbed. Only ratios between the layers of one call mean much on a loaded machine.
/// </remarks>
public static class StepTiming
{
    /// <summary>
    /// The fastest of <paramref name="repeats"/> forward+backward passes of each layer, in µs per time step, over
    /// <paramref name="steps"/> steps of a batch of <paramref name="batch"/> N(0, 1) sequences (drawn from
    /// <paramref name="seed"/>). The layers' parameter gradients are zeroed after every pass.
    /// </summary>
    public static double[] FastestMicrosecondsPerStep<T>(IReadOnlyList<RecurrentLayer<T>> layers, int steps, int batch, int repeats,
        int seed = 1, int warmUpPasses = 3) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (steps < 1 || batch < 1 || repeats < 1 || warmUpPasses < 0)
            throw new ArgumentOutOfRangeException(nameof(repeats), $"StepTiming needs steps, batch and repeats ≥ 1 and warmUpPasses ≥ 0; got {steps}, {batch}, {repeats}, {warmUpPasses}.");
        var random = new Random(seed);
        var inputs = layers.Select(l => Init.Normal(NdArray<T>.Zeros(steps, batch, l.InputSize), 0, 1, random)).ToArray();
        var gradients = layers.Select(l => Init.Normal(NdArray<T>.Zeros(steps, batch, l.OutputSize), 0, 1, random)).ToArray();
        void Pass(int i)
        {
            layers[i].Forward(inputs[i]);
            layers[i].Backward(gradients[i]);
        }
        for (int i = 0; i < layers.Count; i++)
        {
            for (int w = 0; w < warmUpPasses; w++) Pass(i);
            layers[i].ZeroGrad();
        }
        var best = Enumerable.Repeat(double.PositiveInfinity, layers.Count).ToArray();
        var clock = new Stopwatch();
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < layers.Count; i++)
            {
                clock.Restart();
                Pass(i);
                best[i] = Math.Min(best[i], clock.Elapsed.TotalMicroseconds / steps);
                layers[i].ZeroGrad();
            }
        return best;
    }
}
