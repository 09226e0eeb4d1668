namespace Plexus.Tests;

/// <summary>Actor calls run in each caller's order, and callers never wait for one another.</summary>
public sealed class ActorCallOrderTests(OneCpuCluster cluster) : IClassFixture<OneCpuCluster>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task ACallerWhoseArgumentIsPendingDoesNotDelayAnotherCallerInTheSameProcess()
    {
        using var counter = Plexus.Actor(() => new Counter(0)).Remote();
        using var gate = Plexus.Actor(() => new Signal()).WithMaxConcurrency(4).Remote();
        var late = Plexus.Task<ActorHandle<Signal>, int>(OrderFunctions.FiveWhenReleasedAsync).Remote(gate);

        // One worker process runs both callers: the first lends it to the second while it waits.
        var first = Plexus.Task<ActorHandle<Counter>, ObjectRef<int>[], int>(OrderFunctions.AddWhenReadyAsync).Remote(counter, new[] { late });
        var second = Plexus.Task<ActorHandle<Counter>, int, int>(OrderFunctions.AddNowAsync).Remote(counter, 1);

        Assert.Equal(1, await second.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.False(first.IsReady, "the first caller's call ran before its argument was ready");
        await gate.Call(s => s.Release());
        Assert.Equal(6, await first.GetAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task OneCallersCallsRunInItsOrderEvenWhenTheirArgumentsAreReadyOutOfOrder()
    {
        using var journal = Plexus.Actor(() => new Journal()).Remote();
        using var gate = Plexus.Actor(() => new Signal()).WithMaxConcurrency(4).Remote();
        var late = Plexus.Task<ActorHandle<Signal>, string>(OrderFunctions.FirstWhenReleasedAsync).Remote(gate);

        var waiting = journal.Call(j => j.Append(Arg.Of(late)));
        var ready = Enumerable.Range(0, 20).Select(i => journal.Call(j => j.Append("then " + i))).ToList();
        Assert.False(waiting.IsReady);
        await gate.Call(s => s.Release());
        await Plexus.GetAsync(ready);
        string[] expected = ["first", .. Enumerable.Range(0, 20).Select(i => "then " + i)];
        Assert.Equal(expected, await journal.Call(j => j.Entries()));
    }
}

public static class OrderFunctions
{
    public static async Task<int> FiveWhenReleasedAsync(ActorHandle<Signal> gate)
    {
        await gate.Call(s => s.WaitAsync());
        return 5;
    }

    public static async Task<string> FirstWhenReleasedAsync(ActorHandle<Signal> gate)
    {
        await gate.Call(s => s.WaitAsync());
        return "first";
    }

    public static async Task<int> AddWhenReadyAsync(ActorHandle<Counter> counter, ObjectRef<int>[] amount) =>
        await counter.Call(c => c.Add(Arg.Of(amount[0])));

    public static async Task<int> AddNowAsync(ActorHandle<Counter> counter, int amount) =>
        await counter.Call(c => c.Add(amount));
}
