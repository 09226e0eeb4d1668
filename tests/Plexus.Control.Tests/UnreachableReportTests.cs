using Microsoft.Extensions.Time.Testing;

namespace Plexus.Control.Tests;

/// <summary>
/// Nodes report the peers whose links they lost with their heartbeats: a silent node reported is
/// declared dead at once, a link that stays broken between live nodes fences one end of it.
/// </summary>
public sealed class UnreachableReportTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    // Far beyond every test's fake clock: no node dies of the timeout here, only of reports.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ASilentNodeReportedUnreachableIsDeclaredDeadAtOnce()
    {
        await using var local = await InProcessControlService.StartAsync(Interval, Timeout, _time);
        var (reporter, killed) = (await RegisterAsync(local), await RegisterAsync(local));
        _time.Advance(Interval * 2);

        Assert.True(await HeartbeatAsync(local, reporter, killed));

        var dead = await FindAsync(local, killed);
        Assert.Equal(NodeState.Dead, dead.State);
        Assert.Contains($"unreachable from node {Convert.ToHexStringLower(reporter)}", dead.DeathReason);
        Assert.Equal(NodeState.Alive, (await FindAsync(local, reporter)).State);
    }

    [Fact]
    public async Task ANodeReportedWhileItStillHeartbeatsIsFencedOnTheThirdReportInARow()
    {
        await using var local = await InProcessControlService.StartAsync(Interval, Timeout, _time);
        var (reporter, reported) = (await RegisterAsync(local), await RegisterAsync(local));

        // A report that stops (the link came back) starts the count again.
        await BeatAsync(local, reporter, reported);
        await BeatAsync(local, reporter, reported);
        await BeatAsync(local, reporter);
        await BeatAsync(local, reporter, reported);
        await BeatAsync(local, reporter, reported);
        Assert.Equal(NodeState.Alive, (await FindAsync(local, reported)).State);
        await BeatAsync(local, reporter, reported);

        var fenced = await FindAsync(local, reported);
        Assert.Equal(NodeState.Dead, fenced.State);
        Assert.Contains("fenced", fenced.DeathReason);
        Assert.True((await local.Client.RegisterNodeAsync(reported, "tcp://10.0.0.2:7001", new Dictionary<string, double>(), pid: 2)).Fenced);
        Assert.Equal(NodeState.Alive, (await FindAsync(local, reporter)).State);
    }

    [Fact]
    public async Task ANodeThatLosesItsLinksToTwoLiveNodesIsItselfFenced()
    {
        await using var local = await InProcessControlService.StartAsync(Interval, Timeout, _time);
        var (broken, first, second) = (await RegisterAsync(local), await RegisterAsync(local), await RegisterAsync(local));

        for (var i = 0; i < 3; i++)
        {
            await BeatAsync(local, broken, first, second);
        }

        Assert.Equal(NodeState.Dead, (await FindAsync(local, broken)).State);
        Assert.Equal(NodeState.Alive, (await FindAsync(local, first)).State);
        Assert.Equal(NodeState.Alive, (await FindAsync(local, second)).State);
    }

    [Fact]
    public async Task ReportsFromANodeThatIsNotAliveAreIgnored()
    {
        await using var local = await InProcessControlService.StartAsync(Interval, Timeout, _time);
        var (gone, silent) = (await RegisterAsync(local), await RegisterAsync(local));
        Assert.True(await local.Client.UnregisterNodeAsync(gone));
        _time.Advance(Interval * 2);

        Assert.False(await HeartbeatAsync(local, gone, silent));

        Assert.Equal(NodeState.Alive, (await FindAsync(local, silent)).State);
    }

    private static async Task<byte[]> RegisterAsync(InProcessControlService local)
    {
        byte[] id = ControlTestCluster.NewId();
        Assert.True((await local.Client.RegisterNodeAsync(id, $"tcp://{Convert.ToHexStringLower(id)}:7001", new Dictionary<string, double>(), pid: 1)).Accepted);
        return id;
    }

    private static async Task<bool> HeartbeatAsync(InProcessControlService local, byte[] node, params byte[][] unreachable) =>
        (await local.Client.HeartbeatAsync(node, resourceUsage: null, infeasible: null, unreachable, CancellationToken.None)).Known;

    // One heartbeat interval in which every registered node heartbeats; node reports the others given.
    private async Task BeatAsync(InProcessControlService local, byte[] node, params byte[][] unreachable)
    {
        _time.Advance(Interval);
        foreach (var other in (await local.Client.ListNodesAsync()).Where(n => n.State == NodeState.Alive && !n.NodeId.AsSpan().SequenceEqual(node)))
        {
            Assert.True(await HeartbeatAsync(local, other.NodeId));
        }

        await HeartbeatAsync(local, node, unreachable);
    }

    private static async Task<NodeInfo> FindAsync(InProcessControlService local, byte[] node) =>
        (await local.Client.ListNodesAsync()).Single(n => n.NodeId.AsSpan().SequenceEqual(node));
}
