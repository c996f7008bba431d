using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>What <see cref="RecurrentLayer{T}.Forward"/> returns, as PyTorch's (output, h_n) or (output, (h_n, c_n)).</summary>
/// <param name="Output">(T, B, D·H), or (B, T, D·H) batch-first: the last layer's hidden states at every step; zero at padded steps.</param>
/// <param name="Hn">(L·D, B, H): each layer's and direction's final hidden state (index layer·D + direction).</param>
/// <param name="Cn">(L·D, B, H): the LSTM's final cell states; null for RNN and GRU.</param>
public sealed record RecurrentOutput<T>(NdArray<T> Output, NdArray<T> Hn, NdArray<T>? Cn)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;
