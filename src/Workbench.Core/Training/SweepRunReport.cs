namespace Workbench.Training;

/// <summary>How one configuration of a sweep ended.</summary>
/// <param name="Name">The run folder's name (<see cref="SweepGrid.RunName"/>).</param>
/// <param name="Directory">The run folder.</param>
/// <param name="Skipped">True when the folder already held a completed run, so nothing was started.</param>
/// <param name="ExitCode">The training process's exit code (0 when skipped); its output is in the folder's train.log.</param>
public sealed record SweepRunReport(string Name, string Directory, bool Skipped, int ExitCode);
