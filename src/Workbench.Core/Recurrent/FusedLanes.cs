using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Recurrent;

/// <summary>Which SIMD width a fused float recurrent step runs at; <see cref="None"/> runs the unfused step (any T).</summary>
internal enum FusedLanes
{
    /// <summary>The generic step: one GEMM, then TensorPrimitives over the gate rows.</summary>
    None,

    /// <summary>AVX2 + FMA, 8 floats.</summary>
    Vector256,

    /// <summary>AVX-512, 16 floats.</summary>
    Vector512,
}

/// <summary>What the hardware runs.</summary>
internal static class FusedLanesSupport
{
    /// <summary>The widest fused step this machine runs in hardware.</summary>
    public static readonly FusedLanes Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? FusedLanes.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? FusedLanes.Vector256
        : FusedLanes.None;

    /// <summary>True when <paramref name="lanes"/> runs on this machine.</summary>
    public static bool IsSupported(FusedLanes lanes) => lanes switch
    {
        FusedLanes.Vector512 => Best == FusedLanes.Vector512,
        FusedLanes.Vector256 => Best != FusedLanes.None,
        _ => true,
    };
}
