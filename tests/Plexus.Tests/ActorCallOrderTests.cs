namespace Plexus.Tests;

/// <summary>Actor calls run in each caller's order, and callers never wait for one another.</summary>
[Slow]
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

/// <summary>Creating an actor never waits for its constructor's futures.</summary>
[Slow]
public sealed class ActorCreationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task CreationReturnsAtOnceAndCallsQueueUntilTheConstructorsFutureIsReady()
    {
        using var gate = Plexus.Actor(() => new Signal()).WithMaxConcurrency(4).Remote();
        var late = Plexus.Task<ActorHandle<Signal>, int>(OrderFunctions.FiveWhenReleasedAsync).Remote(gate);

        using var counter = await Plexus.Actor(() => new Counter(Arg.Of(late))).WithName("late-start", "creation").RemoteAsync()
            .WaitAsync(TimeSpan.FromSeconds(30));
        using var synchronous = Plexus.Actor(() => new Counter(Arg.Of(late))).Remote();
        var first = counter.Call(c => c.Add(1));
        var second = synchronous.Call(c => c.Add(2));
        // Its name is taken from the start.
        Assert.Throws<ActorNameTakenException>(() => Plexus.Actor(() => new Counter(0)).WithName("late-start", "creation").Remote());
        Assert.False(first.IsReady || second.IsReady, "a call ran before its actor's constructor argument existed");

        await gate.Call(s => s.Release());
        Assert.Equal(6, await first.GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(7, await second.GetAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task AConstructorArgumentThatFailsKillsTheActorSayingWhich()
    {
        var failed = Plexus.Task<string, int>(TestFunctions.Fail).Remote("no start value");
        using var counter = Plexus.Actor(() => new Counter(Arg.Of(failed))).Remote();
        var e = await Assert.ThrowsAsync<ActorDiedException>(async () => await counter.Call(c => c.Value()).GetAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("argument 0 failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("no start value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeConstructorArgumentReadInPlaceStaysReadableWhileTheActorLives()
    {
        var samples = new ReadOnlyMemory<double>([.. Enumerable.Range(0, 1 << 18).Select(i => (double)i)]);
        using var holder = Plexus.Actor(() => new SampleHolder(samples)).Remote();
        // The store may spill or reuse whatever is unpinned: the holder's samples must stay put.
        await Plexus.CollectGarbageAsync();
        Assert.Equal(Enumerable.Range(0, 1 << 18).Sum(i => (double)i), await holder.Call(h => h.Sum()));
    }
}

/// <summary>Keeps a zero-copy view of its samples, read in place in shared memory.</summary>
public sealed class SampleHolder(ReadOnlyMemory<double> samples)
{
    public double Sum()
    {
        var sum = 0.0;
        foreach (var s in samples.Span)
        {
            sum += s;
        }

        return sum;
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
