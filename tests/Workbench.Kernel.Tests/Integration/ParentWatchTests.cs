using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>A kernel whose parent (JPY_PARENT_PID) dies exits by itself instead of lingering as an orphan.</summary>
public sealed class ParentWatchTests
{
    [Fact]
    public void KernelExitsWhenTheProcessNamedByJpyParentPidIsGone()
    {
        var dir = Directory.CreateTempSubdirectory("wb-parent-").FullName;
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        Process? kernel = null;
        try
        {
            var ports = FreePorts(5);
            var connection = Path.Combine(dir, "kernel.json");
            File.WriteAllText(connection, new JsonObject
            {
                ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["key"] = Guid.NewGuid().ToString(), ["signature_scheme"] = "hmac-sha256",
                ["shell_port"] = ports[0], ["iopub_port"] = ports[1], ["stdin_port"] = ports[2], ["control_port"] = ports[3], ["hb_port"] = ports[4],
            }.ToJsonString());
            var (file, args) = KernelSpecFixture.WorkbenchCommand();
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
            foreach (var a in args.Concat(new[] { "kernel", "run", "-f", connection })) psi.ArgumentList.Add(a);
            psi.Environment["JPY_PARENT_PID"] = parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            kernel = Process.Start(psi)!;
            var stderr = new System.Text.StringBuilder();
            kernel.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            kernel.BeginErrorReadLine();
            kernel.BeginOutputReadLine();

            // Still running while the parent lives.
            Assert.False(kernel.WaitForExit(TimeSpan.FromSeconds(3)), $"the kernel exited early: {stderr}");
            parent.Kill();
            parent.WaitForExit();
            Assert.True(kernel.WaitForExit(TimeSpan.FromSeconds(20)), "the kernel outlived its parent");
            kernel.WaitForExit();
            Assert.Equal(0, kernel.ExitCode);
            lock (stderr) Assert.Contains("parent process", stderr.ToString());
        }
        finally
        {
            if (!parent.HasExited) parent.Kill();
            if (kernel is { HasExited: false }) kernel.Kill(entireProcessTree: true);
            kernel?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
