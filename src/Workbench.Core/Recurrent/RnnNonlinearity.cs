namespace Workbench.Recurrent;

/// <summary>The activation of a vanilla RNN (PyTorch's <c>nonlinearity</c> argument).</summary>
public enum RnnNonlinearity
{
    /// <summary>h_t = tanh(·), PyTorch's default.</summary>
    Tanh,

    /// <summary>h_t = max(0, ·).</summary>
    Relu,
}
