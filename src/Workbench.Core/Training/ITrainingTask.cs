using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>
/// A model together with its data and loss, as the <see cref="Trainer{T}"/> drives it. Everything a task does must be
/// a function of (seed, epoch, batch index) and the model's state, so that runs repeat bit for bit and resume exactly.
/// </summary>
public interface ITrainingTask<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The trainable parameters with their qualified state_dict keys (e.g. <c>rnn.weight_hh_l0</c>), in a fixed order.</summary>
    IReadOnlyList<KeyValuePair<string, Parameter<T>>> NamedParameters { get; }

    /// <summary>Training batches per epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>Prepares epoch <paramref name="epoch"/> (e.g. its shuffle order from <paramref name="seed"/> and the epoch; resets carried state).</summary>
    void BeginEpoch(int epoch, int seed);

    /// <summary>Forward and backward on batch <paramref name="index"/> of the current epoch; gradients accumulate into the parameters.</summary>
    BatchLoss TrainBatch(int index);

    /// <summary>Scores the validation split (no gradients), or returns null when the task has none.</summary>
    Evaluation? Evaluate(CancellationToken cancellationToken);

    /// <summary>State carried between batches that a checkpoint must keep (e.g. the hidden state of truncated BPTT); empty if none.</summary>
    IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState();

    /// <summary>Restores what <see cref="ExportCarriedState"/> returned (after <see cref="BeginEpoch"/>).</summary>
    void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state);
}
