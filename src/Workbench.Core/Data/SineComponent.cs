namespace Workbench.Data;

/// <summary>One sine term: amplitude · sin(2π t / period + phase).</summary>
/// <param name="Amplitude">Peak value.</param>
/// <param name="Period">Steps per cycle.</param>
/// <param name="Phase">Phase in radians.</param>
public readonly record struct SineComponent(double Amplitude, double Period, double Phase = 0);
