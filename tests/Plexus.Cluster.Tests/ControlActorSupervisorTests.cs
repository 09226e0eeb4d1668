using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Plexus.Protocol.Messages;

namespace Plexus.Cluster.Tests;

/// <summary>
/// A cluster node's restart decisions and checkpoints go to the control service: restarts counted
/// there, the newest checkpoint handed back at a restart, and nothing taken from a node the service
/// does not know as alive.
/// </summary>
public sealed class ControlActorSupervisorTests : IAsyncLifetime
{
    private const ulong Node = 0x5EED;
    private ControlService _service = null!;
    private InProcessControlClient _client = null!;
    private ControlActorSupervisor _supervisor = null!;

    public async Task InitializeAsync()
    {
        _service = new ControlService(new ControlServiceSettings(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), new InMemoryControlStore(),
            TimeProvider.System, NullLoggerFactory.Instance);
        await _service.StartAsync(CancellationToken.None);
        _client = new InProcessControlClient(_service);
        _supervisor = new ControlActorSupervisor(_client, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task AnActorRestartsFromItsCheckpointUntilItsRestartsAreUsedUp()
    {
        await _client.RegisterNodeAsync(ControlIds.Node(Node), "tcp://127.0.0.1:7000", new Dictionary<string, double>(), pid: 1);
        var actor = Actor(maxRestarts: 2);

        var first = await _supervisor.ReportFailureAsync(actor, Node, incarnation: 0, ActorDeathCause.WorkerDied);
        Assert.Null(await _supervisor.SaveCheckpointAsync(actor, Node, incarnation: 1, callsApplied: 4, state: [4]));
        var second = await _supervisor.ReportFailureAsync(actor, Node, incarnation: 1, ActorDeathCause.WorkerDied);
        var third = await _supervisor.ReportFailureAsync(actor, Node, incarnation: 2, ActorDeathCause.WorkerDied);

        Assert.Equal((true, 1L, (byte[]?)null), (first.Restarts, first.Incarnation, first.Checkpoint));
        Assert.Equal((true, 2L), (second.Restarts, second.Incarnation));
        Assert.Equal(new byte[] { 4 }, second.Checkpoint);
        Assert.Equal((false, ActorDeathCause.RestartsExhausted), (third.Restarts, third.Cause));
    }

    [Fact]
    public async Task ANodeTheServiceDoesNotKnowAsAliveCannotReportOrSave()
    {
        var actor = Actor(maxRestarts: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _supervisor.ReportFailureAsync(actor, Node, 0, ActorDeathCause.WorkerDied));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _supervisor.SaveCheckpointAsync(actor, Node, 0, 1, [1]));
    }

    private static ActorSpec Actor(int maxRestarts) => new()
    {
        Id = TaskId.Root(JobId.NewRandom()).Child(1),
        Owner = new ProcessAddress(Node, 3),
        Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 1),
        Args = [],
        MaxRestarts = maxRestarts,
    };
}
