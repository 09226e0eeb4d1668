using Google.Protobuf;
using Plexus.Control.Actors;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>
/// When the node of a restartable actor dies, the control service has it built again elsewhere:
/// RESTARTING with its next incarnation and a restarter (its creator's node first), handed out in
/// that node's heartbeat replies until it registers the actor ALIVE, also after the service
/// restarts; DEAD with the right cause when it cannot be restarted.
/// </summary>
public sealed class ActorFailoverTableTests
{
    private static readonly ByteString Victim = NewNode();
    private static readonly ByteString Creator = NewNode();
    private static readonly ByteString Other = NewNode();
    private static readonly ByteString Third = NewNode();
    private readonly InMemoryControlStore _store = new();

    [Fact]
    public async Task AnActorWhoseNodeDiesIsRestartingOnItsCreatorsNodeUntilThatNodeRegistersIt()
    {
        var table = await LoadAsync();
        await RegisterAsync(table, Actor(maxRestarts: 2, name: "counter"));

        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(Creator, Other), CancellationToken.None);

        var restarting = Single(table);
        Assert.Equal((Proto.ActorState.Restarting, 1L, 1, Creator), (restarting.State, restarting.Incarnation, restarting.NumRestarts, restarting.RestarterNodeId));
        Assert.Equal("counter", table.Lookup("shop", "counter").Actor?.Name);
        Assert.Empty(table.AssignmentsOf(Other, ChooseFirst(Creator, Other)));
        var assignment = Assert.Single(table.AssignmentsOf(Creator, ChooseFirst(Creator, Other)));
        Assert.Equal(1L, assignment.Actor.Incarnation);
        Assert.False(assignment.Actor.Spec.IsEmpty);

        await Assert.ThrowsAsync<InvalidOperationException>(() => table.RegisterAsync(At(restarting, Other), _ => true, CancellationToken.None));
        Assert.True((await table.RegisterAsync(At(restarting, Creator), _ => true, CancellationToken.None)).Registered);

        var alive = Single(table);
        Assert.Equal((Proto.ActorState.Alive, Creator, 1L), (alive.State, alive.NodeId, alive.Incarnation));
        Assert.Empty(table.AssignmentsOf(Creator, ChooseFirst(Creator, Other)));
    }

    [Fact]
    public async Task ARestartDueIsHandedOutAgainByAServiceThatReloadedItsTables()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: -1);
        await RegisterAsync(table, actor);
        await table.PutCheckpointAsync(new Proto.ActorCheckpoint { ActorId = actor.ActorId, NodeId = Victim, CallsApplied = 4, State = ByteString.CopyFrom(4) }, _ => true, CancellationToken.None);
        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(Other), CancellationToken.None);

        var reloaded = await LoadAsync();

        var assignment = Assert.Single(reloaded.AssignmentsOf(Other, ChooseFirst(Other)));
        Assert.Equal(new byte[] { 4 }, assignment.Checkpoint.ToByteArray());
        Assert.Equal(Proto.ActorState.Restarting, reloaded.LookupById(actor.ActorId).Actor.State);
    }

    [Fact]
    public async Task ARestarterThatDiesIsReplacedWithoutCountingARestart()
    {
        var table = await LoadAsync();
        await RegisterAsync(table, Actor(maxRestarts: 1));
        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(Other, Third), CancellationToken.None);
        Assert.Equal(Other, Single(table).RestarterNodeId);

        await table.NodeDiedAsync(Other, AliveExcept(Victim, Other), ChooseFirst(Third), CancellationToken.None);

        var restarting = Single(table);
        Assert.Equal((Proto.ActorState.Restarting, 1, 1L, Third), (restarting.State, restarting.NumRestarts, restarting.Incarnation, restarting.RestarterNodeId));
    }

    [Fact]
    public async Task AnActorNoLiveNodeCanHostWaitsForOneThatCan()
    {
        var table = await LoadAsync();
        await RegisterAsync(table, Actor(maxRestarts: 1));
        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(), CancellationToken.None);
        Assert.True(Single(table).RestarterNodeId.IsEmpty);

        Assert.Empty(table.AssignmentsOf(Creator, ChooseFirst()));
        Assert.Single(table.AssignmentsOf(Other, ChooseFirst(Other)));
        Assert.True((await table.RegisterAsync(At(Single(table), Other), _ => true, CancellationToken.None)).Registered);
        Assert.Equal(Proto.ActorState.Alive, Single(table).State);
    }

    [Theory]
    [InlineData(0, false, true, ActorDeathCause.NodeDied)]
    [InlineData(1, false, false, ActorDeathCause.CreatorExited)]
    [InlineData(1, true, false, ActorDeathCause.Unknown)]
    public async Task AnActorThatCannotBeRestartedIsDeadWithWhy(int maxRestarts, bool detached, bool creatorAlive, ActorDeathCause cause)
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts);
        actor.Detached = detached;
        await RegisterAsync(table, actor);
        var alive = creatorAlive ? AliveExcept(Victim) : AliveExcept(Victim, Creator);

        await table.NodeDiedAsync(Victim, alive, ChooseFirst(Other), CancellationToken.None);

        var record = Single(table);
        if (cause == ActorDeathCause.Unknown)
        {
            // Detached: its creator's death does not matter.
            Assert.Equal(Proto.ActorState.Restarting, record.State);
            return;
        }

        Assert.Equal((Proto.ActorState.Dead, (int)cause), (record.State, record.DeathCause));
    }

    [Fact]
    public async Task AnActorWhoseRestartsAreUsedUpIsDeadWhenItsNodeDies()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: 1);
        await RegisterAsync(table, actor);
        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(Other), CancellationToken.None);
        await table.RegisterAsync(At(Single(table), Other), _ => true, CancellationToken.None);

        await table.NodeDiedAsync(Other, AliveExcept(Victim, Other), ChooseFirst(Creator), CancellationToken.None);

        var dead = table.LookupById(actor.ActorId).Actor;
        Assert.Equal((Proto.ActorState.Dead, (int)ActorDeathCause.RestartsExhausted), (dead.State, dead.DeathCause));
        Assert.Contains("its node died", dead.DeathReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeDeclaredDeadCannotEndTheActorRestartedElsewhere()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: 1, name: "counter");
        await RegisterAsync(table, actor);
        await table.NodeDiedAsync(Victim, AliveExcept(Victim), ChooseFirst(Other), CancellationToken.None);

        // The fenced node stops what it ran, and says so: while the actor restarts, and after.
        await table.EndAsync(actor.ActorId, "stopped by its fenced node", Victim, CancellationToken.None);
        Assert.Equal(Proto.ActorState.Restarting, Single(table).State);
        await table.RegisterAsync(At(Single(table), Other), _ => true, CancellationToken.None);
        await table.EndAsync(actor.ActorId, "stopped by its fenced node", Victim, CancellationToken.None);

        Assert.Equal(Proto.ActorState.Alive, Single(table).State);
        Assert.NotNull(table.Lookup("shop", "counter").Actor);
        await table.EndAsync(actor.ActorId, "killed", Other, CancellationToken.None);
        Assert.Equal(Proto.ActorState.Dead, Single(table).State);
    }

    private Task<ActorTable> LoadAsync() => ActorTables.LoadAsync(_store);

    private static async Task RegisterAsync(ActorTable table, Proto.ActorInfo actor) =>
        Assert.True((await table.RegisterAsync(actor, _ => true, CancellationToken.None)).Registered);

    private static Proto.ActorInfo Single(ActorTable table) => Assert.Single(table.List());

    private static ByteString NewNode() => ByteString.CopyFrom(ControlTestCluster.NewId());

    private static Func<ByteString, bool> AliveExcept(params ByteString[] dead) => node => !dead.Contains(node);

    // A chooser that picks the first of the given nodes (the live ones that could host the actor), preferring the creator's.
    private static Func<IReadOnlyDictionary<string, double>, ByteString, ByteString?> ChooseFirst(params ByteString[] fitting) =>
        (_, preferred) => fitting.Contains(preferred) ? preferred : fitting.FirstOrDefault();

    // The registration a restarter sends: the actor as its node knows it, hosted there.
    private static Proto.ActorInfo At(Proto.ActorInfo actor, ByteString node)
    {
        var registration = actor.Clone();
        registration.NodeId = node;
        registration.State = Proto.ActorState.Alive;
        registration.Incarnation = 0;
        registration.RestarterNodeId = ByteString.Empty;
        return registration;
    }

    private static Proto.ActorInfo Actor(int maxRestarts, string name = "")
    {
        var actor = ActorTables.Actor(Victim, Creator, maxRestarts, name);
        actor.Spec = ByteString.CopyFromUtf8("spec");
        actor.Demand["phoenix"] = 1;
        return actor;
    }
}
