using Google.Protobuf;
using Plexus.Control.Actors;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>
/// The control service decides restarts of actors whose worker died: it counts them, answers the
/// next incarnation with the newest checkpoint, ends the actor once its restarts are used up, and
/// takes nothing from a node that is not alive.
/// </summary>
public sealed class ActorRestartTableTests
{
    private static readonly ByteString Node = ByteString.CopyFrom(ControlTestCluster.NewId());
    private readonly InMemoryControlStore _store = new();

    [Fact]
    public async Task AnActorIsRestartedUntilItsRestartsAreUsedUpThenItIsDeadAndItsNameFree()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: 1, name: "counter");
        // Registered by name as a node's registry does, without its restart options.
        var registered = actor.Clone();
        registered.MaxRestarts = 0;
        Assert.True((await table.RegisterAsync(registered, _ => true, CancellationToken.None)).Registered);

        var first = await table.ReportFailureAsync(Failure(actor, incarnation: 0), _ => true, CancellationToken.None);
        var second = await table.ReportFailureAsync(Failure(actor, incarnation: 1), _ => true, CancellationToken.None);

        Assert.Equal((true, 1L), (first.Restart, first.Incarnation));
        Assert.False(second.Restart);
        Assert.Equal((int)ActorDeathCause.RestartsExhausted, second.Cause);
        Assert.Contains("MaxRestarts", second.Reason, StringComparison.Ordinal);
        Assert.Null(table.Lookup("shop", "counter").Actor);
        Assert.Equal((int)ActorDeathCause.RestartsExhausted, Single(table).DeathCause);
    }

    [Fact]
    public async Task AReportRepeatedForTheSameIncarnationIsNotCountedTwice()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: 1);

        var first = await table.ReportFailureAsync(Failure(actor, incarnation: 0), _ => true, CancellationToken.None);
        var retried = await table.ReportFailureAsync(Failure(actor, incarnation: 0), _ => true, CancellationToken.None);

        Assert.Equal((true, 1L), (first.Restart, first.Incarnation));
        Assert.Equal((true, 1L), (retried.Restart, retried.Incarnation));
        Assert.Equal(1, Single(table).NumRestarts);
    }

    [Fact]
    public async Task ARestartResumesFromTheNewestCheckpointEvenAfterTheServiceRestarts()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: -1);
        await table.PutCheckpointAsync(Checkpoint(actor, incarnation: 0, calls: 5, state: 5), _ => true, CancellationToken.None);
        await table.PutCheckpointAsync(Checkpoint(actor, incarnation: 0, calls: 3, state: 3), _ => true, CancellationToken.None);
        Assert.Equal(new byte[] { 5 }, (await table.ReportFailureAsync(Failure(actor, incarnation: 0), _ => true, CancellationToken.None)).Checkpoint.ToByteArray());
        await table.PutCheckpointAsync(Checkpoint(actor, incarnation: 1, calls: 1, state: 6), _ => true, CancellationToken.None);

        var reloaded = await LoadAsync();
        var decision = await reloaded.ReportFailureAsync(Failure(actor, incarnation: 1), _ => true, CancellationToken.None);

        Assert.Equal((true, 2L), (decision.Restart, decision.Incarnation));
        Assert.Equal(new byte[] { 6 }, decision.Checkpoint.ToByteArray());
    }

    [Fact]
    public async Task ANodeThatIsNotAliveCanNeitherReportNorSaveAndAnEndedActorsCheckpointGoes()
    {
        var table = await LoadAsync();
        var actor = Actor(maxRestarts: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReportFailureAsync(Failure(actor, incarnation: 0), _ => false, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => table.PutCheckpointAsync(Checkpoint(actor, 0, 1, 1), _ => false, CancellationToken.None));
        await table.PutCheckpointAsync(Checkpoint(actor, 0, 1, 1), _ => true, CancellationToken.None);
        await table.EndAsync(actor.ActorId, "killed", ByteString.Empty, CancellationToken.None);

        Assert.Empty(await _store.GetAllAsync(ActorCheckpointTable.Table, CancellationToken.None));
    }

    private Task<ActorTable> LoadAsync() => ActorTables.LoadAsync(_store);

    private static Proto.ActorInfo Single(ActorTable table) => Assert.Single(table.List());

    private static Proto.ActorInfo Actor(int maxRestarts, string name = "") => ActorTables.Actor(Node, Node, maxRestarts, name);

    private static Proto.ActorFailure Failure(Proto.ActorInfo actor, long incarnation) =>
        new() { Actor = actor, Incarnation = incarnation, Cause = (int)ActorDeathCause.WorkerDied };

    private static Proto.ActorCheckpoint Checkpoint(Proto.ActorInfo actor, long incarnation, long calls, byte state) =>
        new() { ActorId = actor.ActorId, NodeId = Node, Incarnation = incarnation, CallsApplied = calls, State = ByteString.CopyFrom(state) };
}
