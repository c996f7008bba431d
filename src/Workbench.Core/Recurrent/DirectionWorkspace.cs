namespace Workbench.Recurrent;

/// <summary>
/// The temporaries of one direction's pass, one instance per direction so that the two directions of a
/// bidirectional layer can run side by side without sharing a buffer. Sized by <see cref="RecurrentBuffers{T}.Resize"/>.
/// </summary>
internal sealed class DirectionWorkspace<T>
{
    /// <summary>(B, G·H) one step's recurrent product h_{t−1} W_hhᵀ + b_hh.</summary>
    public T[] Recurrent = [];

    /// <summary>(T, B, G·H) ∂L/∂(input-side pre-activations) of every step.</summary>
    public T[] GradGatesIh = [];

    /// <summary>(T, B, G·H) ∂L/∂(recurrent-side pre-activations), where they differ from the input side (GRU reset after).</summary>
    public T[] GradGatesHh = [];

    /// <summary>(B, H) the running ∂L/∂h.</summary>
    public T[] GradHidden = [];

    /// <summary>(B, H) the running ∂L/∂c (LSTM).</summary>
    public T[] GradCell = [];

    /// <summary>(B, H) ∂L/∂(r ⊙ h_{t−1}) (GRU reset before).</summary>
    public T[] GradAux = [];

    /// <summary>3·H row temporaries.</summary>
    public T[] Scratch = [];

    /// <summary>W_hh packed for a fused step (<see cref="LstmFusedStep.Pack"/>, <see cref="GruFusedStep.Pack"/>), for the direction and layer running.</summary>
    public T[] PackedWeightHh = [];

    /// <summary>W_ih packed for a fused input projection (<see cref="LstmFusedStep.Project"/>, <see cref="GruFusedStep.Project"/>).</summary>
    public T[] PackedWeightIh = [];

    /// <summary>(G·H) zeros: the biases of a fused step in a layer without biases.</summary>
    public T[] ZeroBias = [];

    /// <summary>
    /// One fused-step object per row part (<see cref="RecurrentKernel{T}.PrepareRowParts"/>), made on the caller's
    /// thread: a pool thread that took a part and reached a thread-static one for the first time would allocate
    /// (the runtime grows that thread's table of thread statics) in the middle of a warm pass.
    /// </summary>
    public object[] RowPartSteps = [];

    /// <summary>Makes <see cref="RowPartSteps"/> hold at least <paramref name="parts"/> fused-step objects of type <typeparamref name="TStep"/>.</summary>
    public void EnsureRowPartSteps<TStep>(int parts) where TStep : class, new()
    {
        if (RowPartSteps.Length >= parts && RowPartSteps[0] is TStep) return;
        RowPartSteps = new object[parts];
        for (int p = 0; p < parts; p++) RowPartSteps[p] = new TStep();
    }
}
