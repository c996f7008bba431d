namespace Workbench.Recurrent;

/// <summary>
/// Which of the two states the GRU's update gate z weighs. The two are one model: negating the z-gate weights and
/// biases turns one into the other, because σ(−a) = 1 − σ(a).
/// </summary>
public enum GruUpdateConvention
{
    /// <summary>h = (1 − z) ⊙ n + z ⊙ h_prev: PyTorch, Cho et al. 2014 and seed 004 (z = 1 copies h_prev).</summary>
    ZWeighsPrevious,

    /// <summary>h = z ⊙ h̃ + (1 − z) ⊙ h_prev: Chung et al. 2014 and the seed notes 000, 001, 002 and 003
    /// (z = 1 takes the candidate).</summary>
    ZWeighsCandidate,
}
