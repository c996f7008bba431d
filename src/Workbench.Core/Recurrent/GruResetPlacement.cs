namespace Workbench.Recurrent;

/// <summary>Where the GRU's reset gate r acts in the candidate state.</summary>
public enum GruResetPlacement
{
    /// <summary>
    /// After the recurrent product, as PyTorch and cuDNN: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
    /// </summary>
    ResetAfter,

    /// <summary>
    /// Before the recurrent product, as Cho et al. 2014 and the seed notes 000, 001, 002 and 004 (003 shows its
    /// candidate only in a picture): h̃ = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
    /// </summary>
    ResetBefore,
}
