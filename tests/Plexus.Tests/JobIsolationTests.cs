using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>
/// Two jobs share one embedded cluster: the cluster's own driver (job A) and a driver attached to
/// its node over the node's socket (job B), each a runtime of its own in this test process.
/// </summary>
public sealed class TwoJobsFixture : ClusterFixture, IAsyncLifetime
{
    /// <summary>Job B's driver.</summary>
    public PlexusRuntime Other { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var driver = await AttachedDriver.ConnectAsync(Plexus.Address!, inlineThreshold: 100 * 1024, recordCallSites: false, CancellationToken.None);
        Other = new PlexusRuntime(driver.Runtime, driver);
    }

    public new async Task DisposeAsync()
    {
        try
        {
            await Other.DisposeAsync();
        }
        finally
        {
            await base.DisposeAsync();
        }
    }
}

/// <summary>
/// Ids are capabilities: one job reads another's objects and calls its actors only through refs
/// and handles that job handed over (or a name in a namespace both use); an id it merely knows,
/// as a listing or a log shows it, is refused by the node.
/// </summary>
[Slow]
public sealed class JobIsolationTests(TwoJobsFixture cluster) : IClassFixture<TwoJobsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PlexusRuntime A => cluster.Plexus;

    private PlexusRuntime B => cluster.Other;

    [Fact]
    public async Task AReadOfAnotherJobsObjectByAReplayedIdIsRefusedByTheNode()
    {
        using var small = A.Put(new[] { 1, 2, 3 });
        using var large = A.Put(Enumerable.Range(0, 1 << 18).ToArray());
        Assert.Equal(ObjectPlacement.SharedMemory, large.Info.Placement);

        foreach (var target in new[] { small, large })
        {
            // Job B names the object by the id and owner a listing shows: no ref was handed over.
            using var replayed = ObjectRef<int[]>.Received(target.Id, target.Owner, B.CoreRuntime());

            var refused = await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await replayed.GetAsync(Patience));

            Assert.Contains(target.Id.ToString(), refused.Message, StringComparison.Ordinal);
            Assert.Contains(B.CoreRuntime().Job.ToString(), refused.Message, StringComparison.Ordinal);
            Assert.True(cluster.Logs.HasWarning("Refused", target.Id.ToString()), "the node logs the refusal");
        }

        // Nothing else is affected: each job still reads its own objects and runs its tasks.
        Assert.Equal(new[] { 1, 2, 3 }, await small.GetAsync(Patience));
        using var own = B.Put(new[] { 4, 5 });
        Assert.Equal(9, await B.Task(static (int[] values) => values.Sum()).Remote(own).GetAsync(Patience));
    }

    [Fact]
    public async Task ACallOrKillOfAnotherJobsActorByAReplayedIdIsRefusedByTheNode()
    {
        using var counter = A.Actor(() => new Counter(10)).Remote();
        Assert.Equal(11, await counter.Call(c => c.Add(1)).GetAsync(Patience));
        var spec = new ActorSpec
        {
            Id = counter.Id, Owner = A.CoreRuntime().Address, Args = [],
            Constructor = new FunctionDescriptor(string.Empty, typeof(Counter).FullName!, ".ctor", 0),
        };
        using var replayed = new ActorHandle<Counter>(new BoundActor(spec, B.CoreRuntime(), anchor: null));

        var refused = await Assert.ThrowsAsync<ActorAccessDeniedException>(async () => await replayed.Call(c => c.Add(100)).GetAsync(Patience));

        Assert.Contains(counter.Id.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Contains(B.CoreRuntime().Job.ToString(), refused.Message, StringComparison.Ordinal);
        // A kill by the replayed id is refused too (a kill has no answer: the node logs it).
        replayed.Kill();
        await Eventually.TrueAsync(() => cluster.Logs.HasWarning("may not kill actor", counter.Id.ToString()), "the node refuses the kill");
        // The refused call never ran, and the actor goes on for its own job.
        Assert.Equal(12, await counter.Call(c => c.Add(1)).GetAsync(Patience));
    }

    [Fact]
    public async Task ARefAndAHandleReturnedByAnotherJobsActorNamedInASharedNamespaceWorkInTheOtherJob()
    {
        using var data = A.Put(new[] { 2, 3, 5, 7 });
        using var counter = A.Actor(() => new Counter(0)).Remote();
        using var keeper = A.Actor(() => new Keeper(data, counter)).WithName("keeper", "shared").Remote();

        using var found = await B.GetActorAsync<Keeper>("keeper", "shared");
        using var handedOver = await found.Call(k => k.Data()).GetAsync(Patience);
        using var partner = await found.Call(k => k.Partner()).GetAsync(Patience);

        Assert.Equal(new[] { 2, 3, 5, 7 }, await handedOver.GetAsync(Patience));
        Assert.Equal(5, await partner.Call(c => c.Add(5)).GetAsync(Patience));
        // Job B passes both on inside a value to a task of its own, which reads and calls through them.
        var sum = B.Task(static async (Handover handover) => (await handover.Data).Sum() + await handover.Counter.Call(c => c.Add(1))).Remote(new Handover(handedOver, partner));
        Assert.Equal(17 + 6, await sum.GetAsync(Patience));
    }

    [Fact]
    public async Task AnObjectAnActorMadeInACallOfAnotherJobIsHandedToEitherJob()
    {
        using var counter = A.Actor(() => new Counter(0)).Remote();
        using var empty = A.Put(Array.Empty<int>());
        using var keeper = A.Actor(() => new Keeper(empty, counter)).WithName("maker", "shared").Remote();
        using var found = await B.GetActorAsync<Keeper>("maker", "shared");

        using var madeForB = await found.Call(k => k.Make(4)).GetAsync(Patience);
        using var madeSeenByA = (await keeper.Call(k => k.Made()).GetAsync(Patience))!;

        Assert.Equal(new[] { 1, 2, 3, 4 }, await madeForB.GetAsync(Patience));
        // Made in job B's call, so of job B's ids: the actor, its owner, hands it to its own job.
        Assert.Equal(new[] { 1, 2, 3, 4 }, await madeSeenByA.GetAsync(Patience));
    }

    [Fact]
    public async Task ARefPassedInACallToAnotherJobsActorIsReadThere()
    {
        using var counter = A.Actor(() => new Counter(0)).Remote();
        using var empty = A.Put(Array.Empty<int>());
        using var keeper = A.Actor(() => new Keeper(empty, counter)).WithName("summer", "shared").Remote();
        using var found = await B.GetActorAsync<Keeper>("summer", "shared");
        using var values = B.Put(new[] { 10, 20, 30 });

        Assert.Equal(60, await found.Call(k => k.SumAsync(values)).GetAsync(Patience));
    }
}

/// <summary>Keeps a ref and a handle of its own job, and hands them to whoever calls.</summary>
public sealed class Keeper(ObjectRef<int[]> data, ActorHandle<Counter> partner)
{
    // The last object a call made; it belongs to that call's caller's job.
    private ObjectRef<int[]>? _made;

    public ObjectRef<int[]> Data() => data;

    public ObjectRef<int[]> Make(int count) => _made = PlexusRuntime.Current.Put(Enumerable.Range(1, count).ToArray());

    public ObjectRef<int[]>? Made() => _made;

    public ActorHandle<Counter> Partner() => partner;

    public async Task<int> SumAsync(ObjectRef<int[]> values) => (await values).Sum();
}

/// <summary>A ref and a handle travelling together inside one value.</summary>
public sealed record Handover(ObjectRef<int[]> Data, ActorHandle<Counter> Counter);
