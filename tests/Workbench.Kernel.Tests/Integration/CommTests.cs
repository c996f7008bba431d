using System.Text.Json.Nodes;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>Comms (Jupyter custom messages) in both directions, through jupyter_client as a front end (Scripts/comms_client.py).</summary>
public sealed class CommTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    [Fact]
    public void CommsOpenAnswerListAndCloseAsIpykernel()
    {
        var r = RunScript(spec, "comms_client.py");
        var echoId = (string)r["echo_id"]!;

        Assert.Equal("{\"status\":\"ok\",\"comms\":{}}", r["info_empty"]!.ToJsonString());

        // The target's open handler got the open data and answered on IOPub, parented by the comm_open.
        var open = Assert.Single(r["open"]!.AsArray());
        Assert.Equal("comm_msg", (string?)open!["type"]);
        Assert.Equal(echoId, (string?)open["content"]!["comm_id"]);
        Assert.Equal("{\"opened_with\":\"hi\"}", open["content"]!["data"]!.ToJsonString());
        var msg = Assert.Single(r["msg"]!.AsArray());
        Assert.Equal("{\"echo\":\"ping\"}", msg!["content"]!["data"]!.ToJsonString());

        // comm_info lists the open comm, filtered by target_name when one is given.
        var expected = $"{{\"{echoId}\":{{\"target_name\":\"workbench.echo\"}}}}";
        Assert.Equal(expected, r["info_all"]!["comms"]!.ToJsonString());
        Assert.Equal(expected, r["info_echo"]!["comms"]!.ToJsonString());
        Assert.Equal("{}", r["info_other"]!["comms"]!.ToJsonString());

        // An unknown target gets a comm_close for that comm at once, and the comm is not listed.
        var unknown = Assert.Single(r["unknown"]!.AsArray());
        Assert.Equal("comm_close", (string?)unknown!["type"]);
        Assert.Equal((string?)r["unknown_id"], (string?)unknown["content"]!["comm_id"]);
        Assert.Equal(expected, r["info_after_unknown"]!["comms"]!.ToJsonString());

        // The client's comm_close reaches the C# handler (no answer), and the comm is gone.
        Assert.Empty(r["close"]!.AsArray());
        Assert.Equal("ping|closed: {\"why\":\"done\"}", (string?)r["received"]);
        Assert.Equal("{}", r["info_after_close"]!["comms"]!.ToJsonString());

        // A cell opens a comm: comm_open (target, data, metadata) then its comm_msg, both parented by the execute_request.
        var cellOpen = r["cell_open"]!.AsArray();
        Assert.Equal(new[] { "comm_open", "comm_msg" }, cellOpen.Select(m => (string?)m!["type"]));
        var cellId = (string)r["cell_comm_id"]!;
        Assert.Equal(cellId, (string?)cellOpen[0]!["content"]!["comm_id"]);
        Assert.Equal("client.target", (string?)cellOpen[0]!["content"]!["target_name"]);
        Assert.Equal("{\"n\":1}", cellOpen[0]!["content"]!["data"]!.ToJsonString());
        Assert.Equal("{\"version\":\"0.1\"}", cellOpen[0]!["metadata"]!.ToJsonString());
        Assert.Equal("{\"n\":2}", cellOpen[1]!["content"]!["data"]!.ToJsonString());
        Assert.Equal("[true]", r["cell_open_parents"]!.ToJsonString());
        // The client's message on it reaches the cell's handler; the cell's Close sends comm_close.
        Assert.Equal("{\"answer\":42}", (string?)r["from_client"]);
        var close = Assert.Single(r["cell_close"]!.AsArray());
        Assert.Equal("comm_close", (string?)close!["type"]);
        Assert.Equal(cellId, (string?)close["content"]!["comm_id"]);
    }

    /// <summary>Runs a client script against the installed kernel and returns its RESULTS object.</summary>
    internal static JsonNode RunScript(KernelSpecFixture spec, string script, params string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Integration", "Scripts", script);
        var (exit, stdout, stderr) = ExternalProcess.Run("/usr/bin/python3", [path, .. args], spec.Prefix, spec.Environment, TimeSpan.FromSeconds(240));
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULTS ", StringComparison.Ordinal));
        Assert.True(exit == 0 && line is not null, $"client failed ({exit}):\n{stdout}\n{stderr}");
        return JsonNode.Parse(line!["RESULTS ".Length..])!;
    }
}
