using Workbench.Protocol.Client;

namespace Workbench.Protocol.Tests;

/// <summary>The client against Debian's python3 kernelspec (python3-ipykernel, installed by scripts/install-deps.sh).</summary>
public sealed class JupyterClientTests
{
    [Fact]
    public async Task ExecutesRoutesOutputsByParentAndDetectsADeadKernel()
    {
        using var client = await JupyterClient.StartAsync(KernelSpec.Find("python3"), TimeSpan.FromSeconds(120));
        Assert.Equal("python", (string?)client.KernelInfo["language_info"]!["name"]);
        var seen = new List<string>();
        var reply = await client.ExecuteAsync("print('a')\n21 * 2", silent: false, m =>
        {
            lock (seen) seen.Add(m.MessageType + ":" + ((string?)m.Content["text"] ?? (string?)m.Content["data"]?["text/plain"] ?? ""));
        });
        Assert.Equal("ok", (string?)reply.Content["status"]);
        Assert.Equal(new[] { "execute_input:", "stream:a\n", "execute_result:42" }, seen);

        var died = new TaskCompletionSource<string>();
        client.Died += reason => died.TrySetResult(reason);
        var e = await Assert.ThrowsAsync<KernelDiedException>(() => client.ExecuteAsync("import os\nos._exit(5)", silent: false, null));
        Assert.Equal("the python3 kernel died (exit code 5)", e.Message);
        Assert.Equal(5, e.ExitCode);
        Assert.Equal("the python3 kernel died (exit code 5)", await died.Task);
        await Assert.ThrowsAsync<KernelDiedException>(() => client.ExecuteAsync("1", silent: false, null));
    }

    [Fact]
    public async Task AKernelThatStartsSlowlyIsNotTakenForDead()
    {
        // A python3 kernel that needs 40 s to start, as under heavy load: longer than three missed heartbeats (3 × 13 s).
        // It used to be killed as "stopped answering heartbeats" before it had ever answered one.
        var folder = Directory.CreateTempSubdirectory("wb-slow-kernel-").FullName;
        try
        {
            var python = KernelSpec.Find("python3");
            var argv = new System.Text.Json.Nodes.JsonArray("/bin/sh", "-c", "sleep 40; exec \"$@\"", "slow");
            foreach (var a in python.Argv) argv.Add(a);
            File.WriteAllText(Path.Combine(folder, "kernel.json"), new System.Text.Json.Nodes.JsonObject
            {
                ["argv"] = argv, ["display_name"] = "slow python", ["language"] = "python",
            }.ToJsonString());
            using var client = await JupyterClient.StartAsync(KernelSpec.Load(Path.Combine(folder, "kernel.json")), TimeSpan.FromSeconds(180));
            var reply = await client.ExecuteAsync("6 * 7", silent: false, null);
            Assert.Equal("ok", (string?)reply.Content["status"]);
            Assert.False(client.IsDead, client.DeathReason);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task ShutdownEndsTheProcess()
    {
        using var client = await JupyterClient.StartAsync(KernelSpec.Find("python3"), TimeSpan.FromSeconds(120));
        await client.ShutdownAsync(TimeSpan.FromSeconds(30));
        // Exit code 0: the kernel left on shutdown_request, it was not killed.
        Assert.Equal(0, client.ExitCode);
    }
}
