namespace Workbench.Checkpoints;

/// <summary>The element types of the safetensors format, spelled as in its JSON header.</summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary64.</summary>
    F64,
    /// <summary>IEEE 754 binary16 (read and converted; written only when asked).</summary>
    F16,
    /// <summary>bfloat16: the upper half of a binary32 (read and converted).</summary>
    BF16,
    /// <summary>Signed 64-bit integer (token ids, lengths).</summary>
    I64,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Boolean stored as one byte.</summary>
    BOOL,
}
