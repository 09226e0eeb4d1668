using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Plexus.Cli.Node;
using Plexus.Cli.Processes;
using Plexus.Control;

namespace Plexus.Cli.Tests;

/// <summary>
/// A real head node started in the background with <c>plexus start --head</c>, asked with
/// <c>plexus status</c>, and stopped with <c>plexus stop</c>: each command as its own process.
/// </summary>
[Slow]
public sealed class ClusterStartStopTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    private string NodeDirectory => Path.Combine(_directory.Path, "head");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Whatever the test left running goes, then its directory.
        if (new NodeStateFiles(NodeDirectory).FindRunningNode() is { } node)
        {
            await new NodeProcessStopper { Grace = TimeSpan.FromSeconds(5) }.StopAsync(node.Pid, CancellationToken.None);
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task HeadStartsInTheBackgroundServesStatusAndStops()
    {
        int port = FreePort();
        var files = new NodeStateFiles(NodeDirectory);

        var started = await CliProcess.RunAsync("start", "--head", "--dashboard-port", "0", "--node-ip", "127.0.0.1", "--port", $"{port}", "--cpus", "2", "--temp-dir", NodeDirectory);

        Assert.True(started.ExitCode == ExitCodes.Success, started.ToString());
        Assert.Contains($"plexus start --address 127.0.0.1:{port} --token-file {files.TokenPath}", started.Output, StringComparison.Ordinal);
        Assert.Contains($"PLEXUS_ADDRESS=127.0.0.1:{port}", started.Output, StringComparison.Ordinal);
        var node = Assert.IsType<RunningNode>(files.FindRunningNode());
        Assert.Equal($"127.0.0.1:{port}", node.Record?.ControlAddress);

        var status = await CliProcess.RunAsync("status", "--json", "--address", $"127.0.0.1:{port}", "--token-file", files.TokenPath);

        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        var listed = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal(node.Record?.NodeId, listed.GetProperty("nodeId").GetString());
        Assert.Equal("ALIVE", listed.GetProperty("state").GetString());
        Assert.Equal(2, listed.GetProperty("resources").GetProperty("CPU").GetDouble());

        var stopped = await CliProcess.RunAsync("stop", "--temp-dir", NodeDirectory);

        Assert.True(stopped.ExitCode == ExitCodes.Success, stopped.ToString());
        Assert.Contains($"Stopped the node (pid {node.Pid})", stopped.Output, StringComparison.Ordinal);
        Assert.False(ProcStat.Read(node.Pid) is { IsRunning: true }, $"the node (pid {node.Pid}) still runs after stop");
        Assert.False(File.Exists(files.PidPath));
        Assert.False(File.Exists(files.RecordPath));
    }

    [Fact]
    public async Task HeadRestartsItsKilledControlServiceAndStopLeavesNoControlProcess()
    {
        int port = FreePort();
        var files = new NodeStateFiles(NodeDirectory);
        var started = await CliProcess.RunAsync(
            "start", "--head", "--dashboard-port", "0", "--node-ip", "127.0.0.1", "--port", $"{port}", "--control-restart-delay-ms", "200", "--temp-dir", NodeDirectory);
        Assert.True(started.ExitCode == ExitCodes.Success, started.ToString());
        var head = Assert.IsType<RunningNode>(files.FindRunningNode());
        int first = ControlPid(files);
        Assert.NotEqual(head.Pid, first);
        Assert.Contains(first, ProcStat.DescendantsOf(head.Pid));

        PosixSignals.Send(first, PosixSignals.SigKill);

        int second = await Eventually.ValueAsync(
            () => File.Exists(files.ControlRecordPath) ? ControlPid(files) : first,
            pid => pid != first,
            "the head writes a new control service process to control.json",
            TimeSpan.FromSeconds(60));
        Assert.False(ProcStat.Read(first) is { IsRunning: true }, $"the killed control service (pid {first}) still runs");
        var status = await Eventually.ValueAsync(
            () => CliProcess.RunAsync("status", "--json", "--address", $"127.0.0.1:{port}", "--token-file", files.TokenPath),
            result => result.ExitCode == ExitCodes.Success,
            "the restarted control service answers plexus status",
            TimeSpan.FromSeconds(60));
        var listed = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal(head.Record?.NodeId, listed.GetProperty("nodeId").GetString());

        var stopped = await CliProcess.RunAsync("stop", "--temp-dir", NodeDirectory);

        Assert.True(stopped.ExitCode == ExitCodes.Success, stopped.ToString());
        Assert.False(ProcStat.Read(second) is { IsRunning: true }, $"the control service (pid {second}) still runs after stop");
        Assert.False(File.Exists(files.ControlRecordPath), "control.json outlived the head");
    }

    [Fact]
    public async Task HeadOnAPortInUseFailsNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync("start", "--head", "--dashboard-port", "0", "--node-ip", "127.0.0.1", "--port", $"{port}", "--temp-dir", NodeDirectory);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains($"{port}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadStartedWithANodeTimeoutDeclaresASilentNodeDeadWithinIt()
    {
        int port = FreePort();
        var files = new NodeStateFiles(NodeDirectory);
        var started = await CliProcess.RunAsync(
            "start", "--head", "--dashboard-port", "0", "--node-ip", "127.0.0.1", "--port", $"{port}", "--node-timeout-ms", "1000", "--temp-dir", NodeDirectory);
        Assert.True(started.ExitCode == ExitCodes.Success, started.ToString());
        await using var control = new ControlClient(new Uri($"http://127.0.0.1:{port}"), File.ReadAllText(files.TokenPath).Trim());
        var silentNode = Convert.FromHexString("00000000000000aa");

        await control.RegisterNodeAsync(silentNode, "127.0.0.1:1", new Dictionary<string, double> { ["CPU"] = 1 }, pid: 1);

        // Declared dead well before the default 10 s timeout would: the one thing the flag changes.
        var dead = await Eventually.ValueAsync(
            async () => (await control.ListNodesAsync()).Single(n => n.NodeId.AsSpan().SequenceEqual(silentNode)),
            node => node.State == NodeState.Dead,
            "the silent node is listed DEAD",
            TimeSpan.FromSeconds(8));
        Assert.Equal(NodeState.Dead, dead.State);
    }

    private static int ControlPid(NodeStateFiles files) =>
        JsonDocument.Parse(File.ReadAllText(files.ControlRecordPath)).RootElement.GetProperty("pid").GetInt32();

    /// <summary>A loopback port nothing listens on: taken from the system, then freed.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
