using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Workbench.Runner.Running;

namespace Workbench.Host.Commands;

/// <summary>
/// <c>notebook run</c> in a child process: the host starts itself again with the same arguments and waits. A cell can
/// end the process that runs it in ways no code can catch (a stack overflow; an exception escaping a thread it
/// started), and then that process can no longer say anything. The child keeps the notebook written up to the cell
/// running (<see cref="NotebookRunOptions.SaveProgress"/>) and records, in a small file, which cell of which notebook
/// is running and any escaped exception; the parent names that cell when the child ends abnormally.
/// </summary>
internal static class IsolatedRun
{
    /// <summary>Set in the child's environment to the progress file it records into.</summary>
    public const string ChildVariable = "WORKBENCH_NOTEBOOK_RUN_PROGRESS";

    /// <summary>The progress file when this process is the child, else null.</summary>
    public static string? ProgressFile => Environment.GetEnvironmentVariable(ChildVariable) is { Length: > 0 } file ? file : null;

    /// <summary>
    /// True when this process should run the notebooks in a child: it is the host executable itself (not a test or
    /// another program that hosts the verbs) and not already the child.
    /// </summary>
    public static bool ShouldIsolate =>
        ProgressFile is null && Assembly.GetEntryAssembly()?.GetName().Name == "workbench-host" && Environment.ProcessPath is not null;

    /// <summary>Runs this host again with the same arguments as a child, waits, and explains an abnormal end. Returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, string? outputDir)
    {
        var progress = Path.Combine(Path.GetTempPath(), $"workbench-run-{Environment.ProcessId}-{Guid.NewGuid():N}.progress");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Under `dotnet exec workbench-host.dll ARGS` the arguments start with the assembly; the apphost has none.
        var arguments = Environment.GetCommandLineArgs();
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var a in arguments.Skip(1)) start.ArgumentList.Add(a);
        start.Environment[ChildVariable] = progress;

        Console.Out.Flush();
        Console.Error.Flush();
        using var child = Process.Start(start)!;
        // Ctrl+C reaches the child too (same process group) and the child decides; a SIGTERM sent to this process alone
        // is passed on, so a scheduler that stops the run stops the cell.
        ConsoleCancelEventHandler keepWaiting = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += keepWaiting;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!OperatingSystem.IsWindows()) _ = kill(child.Id, 15);
        });
        try
        {
            child.WaitForExit();
            var exit = child.ExitCode;
            if (exit is 0 or 1 or Program.UsageError) return exit;
            Console.Error.WriteLine(Explain(exit, progress, paths, outputDir));
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= keepWaiting;
            try { File.Delete(progress); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>In the child: records that cell <paramref name="number"/> (id <paramref name="id"/>) of <paramref name="path"/> starts.</summary>
    public static void RecordCellStarting(string path, int number, string id) =>
        Append($"cell\t{path}\t{number}\t{id}");

    /// <summary>In the child: records the exception that escaped a thread of a cell (the process ends next).</summary>
    public static void RecordCrash(string path, CellFailure failure) =>
        Append($"crash\t{path}\t{failure.CellNumber}\t{failure.CellId}\t{failure.Line}\t{failure.ErrorName}\t{OneLine(failure.Message)}");

    private static void Append(string line)
    {
        if (ProgressFile is not { } file) return;
        try { File.AppendAllText(file, line + "\n"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // "workbench notebook run: a.ipynb: cell 3 (id 1a2b3c4d), line 2: InvalidOperationException on a thread the cell
    // started: boom; it ended the runner process (exit 134); the notebook is written up to that cell, which is marked, to
    // out/a.ipynb", or for a stack overflow "...: cell 3 (id 1a2b3c4d) ended the runner process (exit 134, aborted: ...)".
    private static string Explain(int exit, string progress, IReadOnlyList<string> paths, string? outputDir)
    {
        string[] lines;
        try { lines = File.Exists(progress) ? File.ReadAllLines(progress) : []; }
        catch (IOException) { lines = []; }
        var started = lines.LastOrDefault(l => l.StartsWith("cell\t", StringComparison.Ordinal))?.Split('\t');
        var crash = lines.LastOrDefault(l => l.StartsWith("crash\t", StringComparison.Ordinal))?.Split('\t', 7);
        var code = exit.ToString(CultureInfo.InvariantCulture);
        string path, what;
        if (crash is { Length: 7 })
        {
            path = crash[1];
            var line = crash[4].Length > 0 ? $", line {crash[4]}" : "";
            what = $"cell {crash[2]} (id {crash[3]}){line}: {crash[5]} on a thread the cell started: {crash[6]}; it ended the runner process (exit {code})";
        }
        else if (started is { Length: 4 })
        {
            path = started[1];
            var how = exit switch
            {
                134 => "aborted: a stack overflow, or an exception that escaped a thread the cell started",
                137 => "killed (SIGKILL)",
                139 => "a segmentation fault",
                143 => "terminated (SIGTERM)",
                _ => "ended abnormally",
            };
            what = $"cell {started[2]} (id {started[3]}) ended the runner process (exit {code}, {how})";
        }
        else
        {
            return $"workbench notebook run: the runner process ended before any cell ran (exit {code})";
        }
        var target = NotebookRunner.TargetOf(path, outputDir is null ? null : Path.Combine(outputDir, Path.GetFileName(path)));
        var written = target is null ? "nothing is written (a .dib holds no outputs)" : $"the notebook is written up to that cell, which is marked, to {target}";
        var index = paths.ToList().IndexOf(path);
        var rest = index >= 0 && index < paths.Count - 1 ? $"; not run: {string.Join(", ", paths.Skip(index + 1))}" : "";
        return $"workbench notebook run: {path}: {what}; {written}{rest}";
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
