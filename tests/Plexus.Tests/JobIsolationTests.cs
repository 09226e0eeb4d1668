using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>
/// Three jobs share one embedded cluster of one worker: the cluster's own driver (job A) and two
/// drivers attached to its node over the node's socket (jobs B and C), each a runtime of its own
/// in this test process. The worker runs the work of every job, as a package's workers do. Jobs A
/// and B have their own anonymous namespaces; job C joins with the namespace <c>team</c>.
/// </summary>
public sealed class JobsFixture : ClusterFixture, IAsyncLifetime
{
    /// <summary>Job B's driver.</summary>
    public PlexusRuntime Other { get; private set; } = null!;

    /// <summary>Job C's driver, whose namespace is <see cref="TeamNamespace"/>.</summary>
    public PlexusRuntime Third { get; private set; } = null!;

    /// <summary>Job C's namespace (<see cref="PlexusOptions.Namespace"/>).</summary>
    public const string TeamNamespace = "team";

    protected override PlexusOptions Options => new() { Cpus = 1, StoreCapacity = 512L << 20 };

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Other = await AttachAsync(@namespace: null);
        Third = await AttachAsync(TeamNamespace);
    }

    public new async Task DisposeAsync()
    {
        try
        {
            await Third.DisposeAsync();
            await Other.DisposeAsync();
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    // A driver of a job of its own, as PlexusRuntime.ConnectAsync attaches one (which a process does once).
    private async Task<PlexusRuntime> AttachAsync(string? @namespace)
    {
        var driver = await AttachedDriver.ConnectAsync(Plexus.Address!, inlineThreshold: 100 * 1024, recordCallSites: false, CancellationToken.None);
        driver.Runtime.Namespace = @namespace;
        return new PlexusRuntime(driver.Runtime, driver);
    }
}

/// <summary>
/// Ids are capabilities: one job reads another's objects and calls its actors only through refs
/// and handles that job handed over (or a name in a namespace both use); an id it merely knows,
/// as a listing or a log shows it, is refused by the node.
/// </summary>
[Slow]
public sealed class JobIsolationTests(JobsFixture cluster) : IClassFixture<JobsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PlexusRuntime A => cluster.Plexus;

    private PlexusRuntime B => cluster.Other;

    private PlexusRuntime C => cluster.Third;

    [Fact]
    public async Task AReadOfAnotherJobsObjectByAReplayedIdIsRefusedByTheRuntimeAndByTheNode()
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

            // A runtime that skipped its own check (one that believed the handle handed over) asks
            // the node, which refuses it too.
            using var unverified = ObjectRef<int[]>.Received(target.Id, target.Owner, B.CoreRuntime());
            unverified.IsHandedOver = true;
            var refusedByTheNode = await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await unverified.GetAsync(Patience));

            Assert.Contains(target.Id.ToString(), refusedByTheNode.Message, StringComparison.Ordinal);
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
    public async Task AnActorNamedWithoutANamespaceIsFoundByItsOwnJobsCodeAloneAndOneInANamespaceBothUseByTheOther()
    {
        using var own = A.Actor(() => new Counter(0)).WithName("private-counter").Remote();
        using var shared = A.Actor(() => new Counter(0)).WithName("shared-counter", "team").Remote();
        using var scout = A.Actor(() => new Scout()).WithName("scout", "team").Remote();

        // Job B looks in its own namespace, where job A's actor is not: the error of a missing actor.
        await Assert.ThrowsAsync<ActorNotFoundException>(() => B.GetActorAsync<Counter>("private-counter"));
        // Job A's namespace is its anonymous one, which job B cannot name, even as a listing shows it.
        var anonymous = Assert.Single(await A.ListActorsAsync(), a => a.Name == "private-counter").Namespace;
        Assert.Equal("anonymous:" + A.CoreRuntime().Job, anonymous);
        await Assert.ThrowsAsync<ArgumentException>(() => B.GetActorAsync<Counter>("private-counter", anonymous));
        await Assert.ThrowsAsync<ArgumentException>(() => B.Actor(() => new Counter(0)).WithName("private-counter", anonymous).GetOrCreateAsync());
        // The name is free in job B's own namespace.
        using var ownOfB = B.Actor(() => new Counter(100)).WithName("private-counter").Remote();
        Assert.NotEqual(own.Id, ownOfB.Id);

        // Each job's tasks, on the one worker both jobs share, look in their own job's namespace.
        Assert.Equal(1, await A.Task(static (string name) => Scout.AddToNamedAsync(name, 1)).Remote("private-counter").GetAsync(Patience));
        Assert.Equal(101, await B.Task(static (string name) => Scout.AddToNamedAsync(name, 1)).Remote("private-counter").GetAsync(Patience));
        // Job A's actor looks in job A's namespace, also in a call of job B's.
        using var foundScout = await B.GetActorAsync<Scout>("scout", "team");
        Assert.Equal(3, await foundScout.Call(s => s.AddAsync("private-counter", 2)).GetAsync(Patience));
        Assert.Equal(3, await own.Call(c => c.Value()).GetAsync(Patience));

        // Named in a namespace both jobs use, job A's actor is found by job B.
        using var found = await B.GetActorAsync<Counter>("shared-counter", "team");
        Assert.Equal(shared.Id, found.Id);
        Assert.Equal(5, await found.Call(c => c.Add(5)).GetAsync(Patience));
        // Job C's namespace is that one: its driver and its tasks find it there without naming it.
        using var foundByC = await C.GetActorAsync<Counter>("shared-counter");
        Assert.Equal(shared.Id, foundByC.Id);
        Assert.Equal(6, await C.Task(static (string name) => Scout.AddToNamedAsync(name, 1)).Remote("shared-counter").GetAsync(Patience));
        // And what job C names without a namespace is there for job A.
        using var ofC = C.Actor(() => new Counter(50)).WithName("counter-of-c").Remote();
        using var foundByA = await A.GetActorAsync<Counter>("counter-of-c", "team");
        Assert.Equal(51, await foundByA.Call(c => c.Add(1)).GetAsync(Patience));
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

        // Made by job A's actor, so of job A's ids, whoever called: handed to job B with its tag.
        Assert.Equal(A.CoreRuntime().Job, madeForB.Id.Task.Job);
        Assert.Equal(new[] { 1, 2, 3, 4 }, await madeForB.GetAsync(Patience));
        Assert.Equal(new[] { 1, 2, 3, 4 }, await madeSeenByA.GetAsync(Patience));
    }

    [Fact]
    public async Task AnActorAnActorCreatesInACallOfAnotherJobIsOfTheCreatorsJobAndServesBothJobs()
    {
        using var factory = A.Actor(() => new Factory()).WithName("factory", "shared").Remote();
        using var found = await B.GetActorAsync<Factory>("factory", "shared");

        using var built = await found.Call(f => f.Build(10)).GetAsync(Patience);

        // The actor's code created it: it is of job A, whichever job's call that code ran in.
        Assert.Equal(A.CoreRuntime().Job, built.Id.Job);
        // The creator calls it through the handle it kept, and job B through the handle it was handed.
        Assert.Equal(11, await factory.Call(f => f.AddToBuiltAsync(1)).GetAsync(Patience));
        Assert.Equal(13, await built.Call(c => c.Add(2)).GetAsync(Patience));
        // Job C, which was handed nothing, is refused by the id and owner alone.
        using var replayed = new ActorHandle<Counter>(new BoundActor(((BoundActor)built.Binding).Spec, C.CoreRuntime(), anchor: null));
        await Assert.ThrowsAsync<ActorAccessDeniedException>(async () => await replayed.Call(c => c.Add(100)).GetAsync(Patience));
        Assert.Equal(14, await factory.Call(f => f.AddToBuiltAsync(1)).GetAsync(Patience));
    }

    [Fact]
    public async Task APendingRefOfAnotherJobPassedToAnActorsConstructorIsReadThere()
    {
        using var gate = A.Actor(() => new Gate()).WithMaxConcurrency(2).Remote();
        using var pending = gate.Call(g => g.WaitAsync());
        using var relay = A.Actor(() => new Relay(new[] { pending })).WithName("relay", "shared").Remote();
        using var found = await B.GetActorAsync<Relay>("relay", "shared");
        using var handedOver = await found.Call(r => r.Held()).GetAsync(Patience);
        Assert.False(handedOver.IsReady, "the gate is closed: the ref goes to the constructor as a future");

        // Job B's actor takes job A's ref as its constructor's argument, before the object exists.
        using var summer = B.Actor(() => new Summer(Arg.Of(handedOver))).Remote();
        await gate.Call(g => g.Open(new[] { 1, 2, 3 })).GetAsync(Patience);

        Assert.Equal(6, await summer.Call(s => s.Total()).GetAsync(Patience));
    }

    [Fact]
    public async Task AWorkerServesAnotherJobsObjectsItHoldsOnlyToCodeThatWasHandedTheRef()
    {
        // Job A's actor, on the cluster's one worker, holds an object it fetched and one it put.
        using var fetched = A.Put(new[] { 7, 8, 9 });
        using var vault = A.Actor(() => new Vault(fetched)).Remote();
        var holdings = await vault.Call(v => v.HoldAsync()).GetAsync(Patience);

        foreach (var (id, owner) in new[] { (holdings.Fetched, holdings.FetchedOwner), (holdings.Put, holdings.PutOwner) })
        {
            // Job B's task, on that same worker, names the object by its id and owner alone.
            var probe = await B.Task(static async (ObjectId id, ProcessAddress owner) => await Probe.ReadAsync(id, owner)).Remote(id, owner).GetAsync(Patience);
            Assert.Equal(holdings.ProcessId, probe.ProcessId);
            Assert.Equal(nameof(ObjectAccessDeniedException), probe.Outcome);

            // Nor can the task hand the id on to its own job as a ref that reads.
            using var passed = (await B.Task(static (ObjectId id, ProcessAddress owner) => Probe.Pass(id, owner)).Remote(id, owner).GetAsync(Patience))[0];
            await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await passed.GetAsync(Patience));
        }

        // The actor still reads both.
        Assert.Equal(24 + 6, await vault.Call(v => v.SumAsync()).GetAsync(Patience));
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

    [Fact]
    public async Task RefsAndHandlesInsideAValueHandedToAnotherJobAreReadAndPassedOnThere()
    {
        // Job A's values hold A's refs (one inline, one stored) in a list and a record field, and
        // a handle of A's actor: written for A itself, so nothing in them carries a tag.
        var small = A.Put(new[] { 1, 2, 3 });
        var large = A.Put(Enumerable.Repeat(1, 1 << 18).ToArray());
        Assert.Equal(ObjectPlacement.SharedMemory, large.Info.Placement);
        using var clerk = A.Actor(() => new Counter(0)).Remote();
        var inlineShelf = A.Put(new Shelf([small, large], new Labelled("small", small), clerk, []));
        var storedShelf = A.Put(new Shelf([small, large], new Labelled("large", large), clerk, Enumerable.Range(0, 1 << 16).ToArray()));
        Assert.Equal(ObjectPlacement.Inline, inlineShelf.Info.Placement);
        Assert.Equal(ObjectPlacement.SharedMemory, storedShelf.Info.Placement);
        var library = A.Actor(() => new Library(new[] { inlineShelf, storedShelf })).WithName("library", "shared").Remote();
        // From here the shelves alone hold the objects inside them, and the library the shelves.
        var (smallId, largeId, owner, storedShelfId) = (small.Id, large.Id, small.Owner, storedShelf.Id);
        small.Dispose();
        large.Dispose();
        inlineShelf.Dispose();
        storedShelf.Dispose();

        using var found = await B.GetActorAsync<Library>("library", "shared");
        var kept = new List<Shelf>();
        foreach (var handedOver in new[] { await found.Call(l => l.Shelf(0)).GetAsync(Patience), await found.Call(l => l.Shelf(1)).GetAsync(Patience) })
        {
            var shelf = await handedOver.GetAsync(Patience);
            kept.Add(shelf);

            // Job B reads the refs inside the value it was handed, and calls the actor.
            Assert.Equal(new[] { 1, 2, 3 }, await shelf.Items[0].GetAsync(Patience));
            Assert.Equal(1 << 18, (await shelf.Items[1].GetAsync(Patience)).Length);
            Assert.Equal(shelf.Featured.Label == "small" ? 6 : 1 << 18, (await shelf.Featured.Item.GetAsync(Patience)).Sum());
            Assert.Equal(kept.Count, await shelf.Clerk.Call(c => c.Add(1)).GetAsync(Patience));

            // It passes them on to tasks of its own: inside a value, as an argument, and inside the
            // value of a ref argument, which the task's worker decodes.
            Assert.Equal(6 + (1 << 18), await B.Task(static async (List<ObjectRef<int[]>> items) => (await items[0]).Sum() + (await items[1]).Sum()).Remote(shelf.Items).GetAsync(Patience));
            Assert.Equal(1 << 18, await B.Task(static (int[] values) => values.Length).Remote(shelf.Items[1]).GetAsync(Patience));
            var fromTheValue = B.Task(static async (Shelf s) => (await s.Items[0]).Sum() + (await s.Items[1]).Length + await s.Clerk.Call(c => c.Value())).Remote(handedOver);
            Assert.Equal(6 + (1 << 18) + kept.Count, await fromTheValue.GetAsync(Patience));
            handedOver.Dispose();
        }

        // Job C, handed nothing, is refused the ids inside all the same.
        foreach (var id in new[] { smallId, largeId })
        {
            using var replayed = ObjectRef<int[]>.Received(id, owner, C.CoreRuntime());
            await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await replayed.GetAsync(Patience));
        }

        // Job B borrows what it read: once job A's library and shelves are gone, the objects
        // inside live on for B.
        library.Kill();
        library.Dispose();
        await Eventually.TrueAsync(
            async () =>
            {
                await A.CollectGarbageAsync();
                return A.CoreRuntime().References.Inspect(storedShelfId) is null;
            },
            "job A frees the stored shelf");
        Assert.Equal(new[] { 1, 2, 3 }, await kept[0].Items[0].GetAsync(Patience));
        Assert.Equal(1 << 18, (await kept[1].Featured.Item.GetAsync(Patience)).Length);
    }

    [Fact]
    public async Task ARefCraftedFromAnIdIsRefusedWhetherTheRuntimeOrUserCodeDecodesIt()
    {
        using var hidden = A.Put(new[] { 4, 5, 6 });
        using var own = B.Put(new[] { 7 });

        // Job B writes a value whose bytes name job A's object as a ref (a formatter of its own),
        // beside a ref of its own: reading the value back gives the one and refuses the other.
        using var crate = B.Put(new Crate(own, new Smuggled(hidden.Id, hidden.Owner)));
        var read = await crate.GetAsync(Patience);
        Assert.Equal(new[] { 7 }, await read.Own.GetAsync(Patience));
        Assert.Equal(hidden.Id, read.Crafted.Ref!.Id);
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await read.Crafted.Ref!.GetAsync(Patience));
        // The same in a task that is given the value.
        var passed = await B.Task(static async (Crate c) => await Probe.ReadAsync(c.Crafted.Ref!)).Remote(crate).GetAsync(Patience);
        Assert.Equal(nameof(ObjectAccessDeniedException), passed.Outcome);

        // Nor does user code that runs the serializer itself, with the runtime's formatters, on such bytes.
        using var decoded = MessagePack.MessagePackSerializer.Deserialize<ObjectRef<int[]>>(Smuggled.Bytes(hidden.Id, hidden.Owner), B.CoreRuntime().ValueOptions)!;
        Assert.Equal(hidden.Id, decoded.Id);
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await decoded.GetAsync(Patience));
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

/// <summary>Finds a counter by name, without a namespace, from wherever its code runs, and adds to it.</summary>
public sealed class Scout
{
    public static async Task<int> AddToNamedAsync(string name, int amount)
    {
        using var counter = await PlexusRuntime.Current.GetActorAsync<Counter>(name);
        return await counter.Call(c => c.Add(amount));
    }

    public Task<int> AddAsync(string name, int amount) => AddToNamedAsync(name, amount);
}

/// <summary>A ref and a handle travelling together inside one value.</summary>
public sealed record Handover(ObjectRef<int[]> Data, ActorHandle<Counter> Counter);

/// <summary>Creates a counter in a call and keeps it.</summary>
public sealed class Factory
{
    // The counter the last call created.
    private ActorHandle<Counter>? _built;

    public ActorHandle<Counter> Build(int start) => _built = PlexusRuntime.Current.Actor(() => new Counter(start)).Remote();

    public async Task<int> AddToBuiltAsync(int amount) => await _built!.Call(c => c.Add(amount));
}

/// <summary>An object that does not exist until the gate opens.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource<int[]> _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int[]> WaitAsync() => _open.Task;

    public void Open(int[] values) => _open.TrySetResult(values);
}

/// <summary>Hands on a ref it holds (inside a value, so its constructor does not wait for it).</summary>
public sealed class Relay(ObjectRef<int[]>[] held)
{
    public ObjectRef<int[]> Held() => held[0];
}

/// <summary>Sums the values its constructor was given.</summary>
public sealed class Summer(int[] values)
{
    public int Total() => values.Sum();
}

/// <summary>Holds an object it fetched and one it put, in its worker's table.</summary>
public sealed class Vault(ObjectRef<int[]> fetched)
{
    private ObjectRef<int[]>? _put;

    public async Task<Holdings> HoldAsync()
    {
        _put = PlexusRuntime.Current.Put(new[] { 1, 2, 3 });
        await fetched;
        return new Holdings(Environment.ProcessId, fetched.Id, fetched.Owner, _put.Id, _put.Owner);
    }

    public async Task<int> SumAsync() => (await fetched).Sum() + (await _put!).Sum();
}

/// <summary>Where a <see cref="Vault"/> runs and the ids and owners of what it holds.</summary>
public sealed record Holdings(int ProcessId, ObjectId Fetched, ProcessAddress FetchedOwner, ObjectId Put, ProcessAddress PutOwner);

/// <summary>What a task of another job got when it named an object by its id and owner alone.</summary>
public sealed record Probe(int ProcessId, string Outcome)
{
    public static async Task<Probe> ReadAsync(ObjectId id, ProcessAddress owner)
    {
        using var replayed = ObjectRef<int[]>.Received(id, owner, PlexusRuntime.Current.CoreRuntime());
        return await ReadAsync(replayed);
    }

    public static async Task<Probe> ReadAsync(ObjectRef<int[]> reference)
    {
        try
        {
            return new Probe(Environment.ProcessId, $"read {(await reference).Sum()}");
        }
        catch (ObjectAccessDeniedException e)
        {
            return new Probe(Environment.ProcessId, e.GetType().Name);
        }
    }

    public static ObjectRef<int[]>[] Pass(ObjectId id, ProcessAddress owner) => [ObjectRef<int[]>.Received(id, owner, PlexusRuntime.Current.CoreRuntime())];
}

/// <summary>Refs in a list and in a record field, and a handle, as a cache or a dataset hands them out.</summary>
public sealed record Shelf(List<ObjectRef<int[]>> Items, Labelled Featured, ActorHandle<Counter> Clerk, int[] Padding);

/// <summary>A ref in a record's field.</summary>
public sealed record Labelled(string Label, ObjectRef<int[]> Item);

/// <summary>Keeps its job's shelves and hands a ref to one to whoever calls.</summary>
public sealed class Library(ObjectRef<Shelf>[] shelves)
{
    public ObjectRef<Shelf> Shelf(int index) => shelves[index];
}

/// <summary>A ref of the writer's own beside one its bytes make up.</summary>
public sealed record Crate(ObjectRef<int[]> Own, Smuggled Crafted);

/// <summary>
/// Writes an object id as a ref's bytes, with no ref behind it, and reads those bytes back as a
/// ref: what user code can do to make up a ref from an id a listing showed.
/// </summary>
[MessagePack.MessagePackFormatter(typeof(SmuggledFormatter))]
public sealed class Smuggled(ObjectId id, ProcessAddress owner)
{
    public ObjectId Id { get; } = id;

    public ProcessAddress Owner { get; } = owner;

    /// <summary>The ref read back from the bytes; null as written.</summary>
    public ObjectRef<int[]>? Ref { get; init; }

    /// <summary>A serialized ref naming <paramref name="id"/>, with no tag.</summary>
    public static byte[] Bytes(ObjectId id, ProcessAddress owner)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePack.MessagePackWriter(buffer);
        Write(ref writer, id, owner);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    internal static void Write(ref MessagePack.MessagePackWriter writer, ObjectId id, ProcessAddress owner)
    {
        writer.WriteArrayHeader(6);
        writer.Write(id.Task.Job.High);
        writer.Write(id.Task.Job.Low);
        writer.Write(id.Task.Path);
        writer.Write(id.Index);
        writer.Write(owner.Node);
        writer.Write(owner.Process);
    }
}

/// <summary>The formatter of <see cref="Smuggled"/>.</summary>
public sealed class SmuggledFormatter : MessagePack.Formatters.IMessagePackFormatter<Smuggled?>
{
    public void Serialize(ref MessagePack.MessagePackWriter writer, Smuggled? value, MessagePack.MessagePackSerializerOptions options) =>
        Smuggled.Write(ref writer, value!.Id, value.Owner);

    public Smuggled? Deserialize(ref MessagePack.MessagePackReader reader, MessagePack.MessagePackSerializerOptions options)
    {
        var crafted = MessagePack.FormatterResolverExtensions.GetFormatterWithVerify<ObjectRef<int[]>?>(options.Resolver).Deserialize(ref reader, options)!;
        return new Smuggled(crafted.Id, crafted.Owner) { Ref = crafted };
    }
}
