using Workbench.Layers;
using Workbench.Losses;
using Workbench.Tensors;
using Workbench.Training;

namespace Workbench.Core.Tests.Training;

/// <summary>A tiny task (y = x·w + noise through a Linear) that exercises the trainer's mechanics quickly.</summary>
internal sealed class LinearRegressionTask : ITrainingTask<double>
{
    private readonly NdArray<double> _x, _y;
    private readonly int _batchSize;
    private int[] _order = [];
    private NdArray<double> _carried = NdArray<double>.Zeros(1);

    public Linear<double> Model { get; }
    public int BatchCalls { get; private set; }
    public Action<int>? OnBatch { get; set; }
    public Action? OnEvaluate { get; set; }
    public double? PoisonLossAtCall { get; set; }

    public LinearRegressionTask(int count = 64, int batchSize = 8, int seed = 1)
    {
        var random = new Random(seed);
        var x = new double[count * 3];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = random.NextDouble() * 2 - 1;
            y[i] = 0.5 * x[i * 3] - 1.5 * x[i * 3 + 1] + 2 * x[i * 3 + 2] + 0.3 + 0.01 * (random.NextDouble() - 0.5);
        }
        _x = new NdArray<double>(x, count, 3);
        _y = new NdArray<double>(y, count, 1);
        _batchSize = batchSize;
        Model = new Linear<double>(3, 1, new Random(seed + 100));
        NamedParameters = [new("linear.weight", Model.Weight), new("linear.bias", Model.Bias!)];
    }

    public IReadOnlyList<KeyValuePair<string, Parameter<double>>> NamedParameters { get; }
    public int BatchesPerEpoch => _x.Shape[0] / _batchSize;

    public void BeginEpoch(int epoch, int seed)
    {
        _order = Enumerable.Range(0, _x.Shape[0]).ToArray();
        new Random(SeedMixer.Mix(seed, epoch)).Shuffle(_order);
        _carried = NdArray<double>.Zeros(1);
    }

    public BatchLoss TrainBatch(int index)
    {
        BatchCalls++;
        OnBatch?.Invoke(index);
        var (x, y) = Gather(_order.AsSpan(index * _batchSize, _batchSize));
        var prediction = Model.Forward(x);
        var loss = MseLoss.Compute(prediction, y);
        Model.Backward(loss.Gradient);
        _carried.Data[0] += loss.Loss; // stands in for carried state that a checkpoint must keep
        if (PoisonLossAtCall == BatchCalls) Model.Weight.Grad.Data[1] = double.NaN;
        return new BatchLoss(loss.Loss, _batchSize);
    }

    public Evaluation? Evaluate(CancellationToken cancellationToken)
    {
        OnEvaluate?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        var prediction = Model.Forward(_x);
        return new Evaluation(MseLoss.Compute(prediction, _y).Loss, null, _x.Shape[0]);
    }

    public IReadOnlyDictionary<string, NdArray<double>> ExportCarriedState() => new Dictionary<string, NdArray<double>> { ["sum"] = _carried };
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<double>> state) => _carried = state["sum"].Clone();

    private (NdArray<double>, NdArray<double>) Gather(ReadOnlySpan<int> rows)
    {
        var x = new double[rows.Length * 3];
        var y = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(_x.Data, rows[i] * 3, x, i * 3, 3);
            y[i] = _y.Data[rows[i]];
        }
        return (new NdArray<double>(x, rows.Length, 3), new NdArray<double>(y, rows.Length, 1));
    }
}
