namespace Plexus.Control.Tests;

/// <summary>The control service's actor table: names unique per namespace among live actors, freed when an actor, its node or its job ends.</summary>
public sealed class ActorTableTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ANameTakenByALiveActorIsRefusedAndTheHolderNamed()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        var first = Actor(node, "counter", "shop");

        var registered = await cluster.Client.RegisterActorAsync(first);
        var second = await cluster.Client.RegisterActorAsync(Actor(node, "counter", "shop"));

        Assert.True(registered.Registered);
        Assert.False(second.Registered);
        Assert.Equal(first.ActorId, second.Holder!.ActorId);
        Assert.Equal(first.ActorId, (await cluster.Client.LookupActorAsync("shop", "counter"))!.ActorId);
    }

    [Fact]
    public async Task TheSameNameInTwoNamespacesAndActorsWithoutNamesAllRegister()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        var inShop = Actor(node, "counter", "shop");
        var inLab = Actor(node, "counter", "lab");

        Assert.True((await cluster.Client.RegisterActorAsync(inShop)).Registered);
        Assert.True((await cluster.Client.RegisterActorAsync(inLab)).Registered);
        Assert.True((await cluster.Client.RegisterActorAsync(Actor(node, name: null, "shop"))).Registered);
        Assert.True((await cluster.Client.RegisterActorAsync(Actor(node, name: null, "shop"))).Registered);

        var found = await cluster.Client.LookupActorAsync("lab", "counter");
        Assert.Equal(inLab.ActorId, found!.ActorId);
        Assert.Equal(inLab.NodeId, found.NodeId);
        Assert.Equal(inLab.OwnerProcess, found.OwnerProcess);
        Assert.Equal(inLab.ClassName, found.ClassName);
        Assert.Null(await cluster.Client.LookupActorAsync("nowhere", "counter"));
    }

    [Fact]
    public async Task RegisteringTheSameActorAgainIsHarmless()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        var actor = Actor(node, "counter", "shop");

        Assert.True((await cluster.Client.RegisterActorAsync(actor)).Registered);
        Assert.True((await cluster.Client.RegisterActorAsync(actor)).Registered);
    }

    [Fact]
    public async Task AnEndedActorsNameIsFreeAndItCannotComeBack()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        var ended = Actor(node, "counter", "shop");
        await cluster.Client.RegisterActorAsync(ended);

        await cluster.Client.EndActorAsync(ended.ActorId, "killed");
        await cluster.Client.EndActorAsync(ended.ActorId, "killed again");

        Assert.Null(await cluster.Client.LookupActorAsync("shop", "counter"));
        var successor = Actor(node, "counter", "shop");
        Assert.True((await cluster.Client.RegisterActorAsync(successor)).Registered);
        Assert.Equal(successor.ActorId, (await cluster.Client.LookupActorAsync("shop", "counter"))!.ActorId);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RegisterActorAsync(ended));
        Assert.Contains("killed", e.Message);
    }

    [Fact]
    public async Task TheNamesOfANodesActorsAreFreedWhenItLeaves()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var leaving = await RegisterNodeAsync(cluster);
        var staying = await RegisterNodeAsync(cluster);
        await cluster.Client.RegisterActorAsync(Actor(leaving, "counter", "shop"));
        var kept = Actor(staying, "ledger", "shop");
        await cluster.Client.RegisterActorAsync(kept);

        await cluster.Client.UnregisterNodeAsync(leaving);

        await Eventually.TrueAsync(async () => await cluster.Client.LookupActorAsync("shop", "counter") is null, "the left node's actor's name is free", Deadline);
        Assert.True((await cluster.Client.RegisterActorAsync(Actor(staying, "counter", "shop"))).Registered);
        Assert.Equal(kept.ActorId, (await cluster.Client.LookupActorAsync("shop", "ledger"))!.ActorId);
    }

    [Fact]
    public async Task TheNamesOfANodeDeclaredDeadAreFreed()
    {
        // Long enough that a loaded machine registers the actor before the silent node is declared dead.
        await using var cluster = await ControlTestCluster.StartAsync(heartbeatTimeout: TimeSpan.FromSeconds(2), heartbeatInterval: TimeSpan.FromMilliseconds(100));
        var silent = await RegisterNodeAsync(cluster);
        await cluster.Client.RegisterActorAsync(Actor(silent, "counter", "shop"));

        await Eventually.TrueAsync(async () => await cluster.Client.LookupActorAsync("shop", "counter") is null, "the silent node's actor's name is free", Deadline);

        Assert.Equal(NodeState.Dead, (await cluster.FindNodeAsync(silent))!.State);
    }

    [Fact]
    public async Task ANodeThatIsNotAliveCannotHostANamedActor()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var gone = await RegisterNodeAsync(cluster);
        await cluster.Client.UnregisterNodeAsync(gone);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RegisterActorAsync(Actor(gone, "counter", "shop")));

        Assert.Contains("not alive", e.Message);
        Assert.Null(await cluster.Client.LookupActorAsync("shop", "counter"));
    }

    [Fact]
    public async Task AFinishedJobsActorsAreEndedUnlessDetached()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        byte[] job = ControlTestCluster.NewId();
        await cluster.Client.RegisterJobAsync(job, driverPid: 100, "shop", "Shop.dll");
        await cluster.Client.RegisterActorAsync(Actor(node, "cart", "shop", job));
        var detached = Actor(node, "ledger", "shop", job, detached: true);
        await cluster.Client.RegisterActorAsync(detached);

        await cluster.Client.FinishJobAsync(job);

        Assert.Null(await cluster.Client.LookupActorAsync("shop", "cart"));
        Assert.Equal(detached.ActorId, (await cluster.Client.LookupActorAsync("shop", "ledger"))!.ActorId);
    }

    [Fact]
    public async Task AHeldActorsNameIsTakenAndItsRegistrationMovesToTheNodeThatHostsIt()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var holding = await RegisterNodeAsync(cluster);
        var hosting = await RegisterNodeAsync(cluster);
        var held = Actor(holding, "counter", "shop", state: ActorState.Pending);

        Assert.True((await cluster.Client.RegisterActorAsync(held)).Registered);
        var duplicate = await cluster.Client.RegisterActorAsync(Actor(hosting, "counter", "shop"));
        var whileHeld = await cluster.Client.LookupActorAsync("shop", "counter");
        var moved = await cluster.Client.RegisterActorAsync(Actor(hosting, held));
        var afterMove = await cluster.Client.LookupActorAsync("shop", "counter");

        Assert.False(duplicate.Registered);
        Assert.Equal(held.ActorId, duplicate.Holder!.ActorId);
        Assert.Equal(held.ActorId, whileHeld!.ActorId);
        Assert.Equal(holding, whileHeld.NodeId);
        Assert.Equal(ActorState.Pending, whileHeld.State);
        Assert.True(moved.Registered);
        Assert.Equal(held.ActorId, afterMove!.ActorId);
        Assert.Equal(hosting, afterMove.NodeId);
        Assert.Equal(ActorState.Alive, afterMove.State);
    }

    [Fact]
    public async Task AMovedActorEndsWithTheNodeHostingItNotTheOneThatHeldIt()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var holding = await RegisterNodeAsync(cluster);
        var hosting = await RegisterNodeAsync(cluster);
        var held = Actor(holding, "counter", "shop", state: ActorState.Pending);
        await cluster.Client.RegisterActorAsync(held);
        await cluster.Client.RegisterActorAsync(Actor(hosting, held));

        await cluster.Client.UnregisterNodeAsync(holding);
        await cluster.Client.UnregisterNodeAsync(hosting);

        // Both nodes are gone, in either order the service handles them: the reason says which one ended the actor.
        await Eventually.TrueAsync(async () => await cluster.Client.LookupActorAsync("shop", "counter") is null, "the moved actor's name is free", Deadline);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RegisterActorAsync(Actor(hosting, held)));
        Assert.Contains($"its node {Convert.ToHexStringLower(hosting)}", e.Message);
    }

    [Fact]
    public async Task TheNameOfAHeldActorIsFreedWhenItsHoldingNodeLeaves()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var holding = await RegisterNodeAsync(cluster);
        var other = await RegisterNodeAsync(cluster);
        await cluster.Client.RegisterActorAsync(Actor(holding, "counter", "shop", state: ActorState.Pending));

        await cluster.Client.UnregisterNodeAsync(holding);

        await Eventually.TrueAsync(async () => await cluster.Client.LookupActorAsync("shop", "counter") is null, "the held actor's name is free", Deadline);
        Assert.True((await cluster.Client.RegisterActorAsync(Actor(other, "counter", "shop"))).Registered);
    }

    [Fact]
    public async Task AnActorAliveOnOneNodeCannotBeRegisteredOnAnother()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var first = await RegisterNodeAsync(cluster);
        var second = await RegisterNodeAsync(cluster);
        var actor = Actor(first, "counter", "shop");
        await cluster.Client.RegisterActorAsync(actor);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Client.RegisterActorAsync(Actor(second, actor)));

        Assert.Contains("alive on node", e.Message);
        Assert.Equal(first, (await cluster.Client.LookupActorAsync("shop", "counter"))!.NodeId);
    }

    [Fact]
    public async Task MalformedActorRequestsAreRefusedWithArgumentErrors()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        var node = await RegisterNodeAsync(cluster);
        var actor = Actor(node, "counter", "shop");

        await Assert.ThrowsAsync<ArgumentException>(() => cluster.Client.RegisterActorAsync(new ActorInfo
        {
            ActorId = actor.ActorId, JobId = actor.JobId, Namespace = "", Name = "counter", ClassName = actor.ClassName,
            Detached = false, NodeId = node, OwnerNodeId = node, OwnerProcess = 1,
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => cluster.Client.LookupActorAsync("shop", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => cluster.Client.EndActorAsync([], "no id"));
    }

    private static async Task<byte[]> RegisterNodeAsync(ControlTestCluster cluster)
    {
        byte[] node = ControlTestCluster.NewId();
        await cluster.Client.RegisterNodeAsync(node, $"tcp://127.0.0.1:{Random.Shared.Next(1024, 65535)}", new Dictionary<string, double>(), pid: 1);
        return node;
    }

    private static ActorInfo Actor(byte[] node, string? name, string @namespace, byte[]? job = null, bool detached = false, ActorState state = ActorState.Alive)
    {
        var jobId = job ?? ControlTestCluster.NewId();
        return new ActorInfo
        {
            State = state,
            ActorId = [.. jobId, .. BitConverter.GetBytes(Random.Shared.NextInt64())],
            JobId = jobId,
            Namespace = @namespace,
            Name = name,
            ClassName = "Shop.Counter",
            Detached = detached,
            NodeId = node,
            OwnerNodeId = node,
            OwnerProcess = 3,
        };
    }

    // The same actor, hosted (alive) by another node.
    private static ActorInfo Actor(byte[] node, ActorInfo actor) => new()
    {
        ActorId = actor.ActorId,
        JobId = actor.JobId,
        Namespace = actor.Namespace,
        Name = actor.Name,
        ClassName = actor.ClassName,
        Detached = actor.Detached,
        NodeId = node,
        OwnerNodeId = actor.OwnerNodeId,
        OwnerProcess = actor.OwnerProcess,
    };
}
