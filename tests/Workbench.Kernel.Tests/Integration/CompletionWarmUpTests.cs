using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// The kernel warms completion as soon as it starts, before any request (not after the first cell), and then F#
/// Interactive (cells sent during the warm-ups: FSharpClientTests and the engine's FSharpWarmUpTests).
/// </summary>
public sealed class CompletionWarmUpTests
{
    [Fact]
    public void CompletionIsWarmedWithNoRequestAtAll()
    {
        var dir = Directory.CreateTempSubdirectory("wb-warm-").FullName;
        Process? kernel = null;
        try
        {
            var ports = ParentWatchTests.FreePorts(5);
            var connection = Path.Combine(dir, "kernel.json");
            File.WriteAllText(connection, new JsonObject
            {
                ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["key"] = Guid.NewGuid().ToString(), ["signature_scheme"] = "hmac-sha256",
                ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
            }.ToJsonString());
            var (file, args) = KernelSpecFixture.WorkbenchCommand();
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
            foreach (var a in args.Concat(new[] { "kernel", "run", "-f", connection })) psi.ArgumentList.Add(a);
            psi.Environment["WORKBENCH_HISTORY_DIR"] = dir;
            psi.Environment["WORKBENCH_FSHARP_WARMUP"] = "1";
            var warm = new ManualResetEventSlim();
            var fsharpWarm = new ManualResetEventSlim();
            var stderr = new System.Text.StringBuilder();
            kernel = new Process { StartInfo = psi };
            kernel.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (stderr) stderr.AppendLine(e.Data);
                if (e.Data.StartsWith("workbench kernel: completion is warm", StringComparison.Ordinal)) warm.Set();
                if (e.Data.StartsWith("workbench kernel: F# is warm", StringComparison.Ordinal)) fsharpWarm.Set();
            };
            kernel.Start();
            kernel.BeginErrorReadLine();
            kernel.BeginOutputReadLine();
            // A deadline for what must happen, not a timing: no client ever connects.
            Assert.True(warm.Wait(TimeSpan.FromMinutes(3)), $"no warm-up reported; stderr:\n{stderr}");
            Assert.True(fsharpWarm.Wait(TimeSpan.FromMinutes(3)), $"no F# warm-up reported; stderr:\n{stderr}");
            lock (stderr) Assert.DoesNotContain("warm-up failed", stderr.ToString());
        }
        finally
        {
            if (kernel is { HasExited: false }) kernel.Kill(entireProcessTree: true);
            kernel?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }
}
