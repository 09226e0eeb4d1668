using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Node;
using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Cluster;

/// <summary>
/// The restarts and checkpoints of a cluster node's restartable actors, decided and kept by the
/// control service: the restarts an actor used and its newest checkpoint outlive the node's
/// processes and survive a restart of the service (its storage keeps them), and a node the service
/// declared dead can no longer report for, or save over, an actor.
/// </summary>
/// <remarks>
/// The node calls under its lock: each request runs on the thread pool and answers through the
/// returned task, which the node takes up under its lock. A request that cannot reach the service
/// faults its task: the actor then ends, saying why (no retry yet).
/// </remarks>
internal sealed class ControlActorSupervisor(IControlClient control, ILogger logger) : IActorSupervisor
{
    public ValueTask<ActorRestartDecision> ReportFailureAsync(ActorSpec actor, ulong node, long incarnation, ActorDeathCause cause) => new(Task.Run(async () =>
    {
        var record = ControlMessages.RegisterActor(ControlActorRegistry.ToInfo(actor, node, held: false)).Actor;
        var decision = await control.ReportActorFailureAsync(
            new Proto.ActorFailure { Actor = record, Incarnation = incarnation, Cause = (int)cause }).ConfigureAwait(false);
        return decision.Restart
            ? ActorRestartDecision.Restart(decision.Incarnation, decision.Checkpoint.IsEmpty ? null : decision.Checkpoint.ToByteArray())
            : ActorRestartDecision.End(decision.Reason, (ActorDeathCause)decision.Cause);
    }));

    public ValueTask<string?> SaveCheckpointAsync(ActorSpec actor, ulong node, long incarnation, long callsApplied, byte[] state) => new(Task.Run(async () =>
    {
        await control.PutActorCheckpointAsync(new Proto.ActorCheckpoint
        {
            ActorId = ByteString.CopyFrom(ControlIds.Actor(actor.Id)),
            NodeId = ByteString.CopyFrom(ControlIds.Node(node)),
            Incarnation = incarnation,
            CallsApplied = callsApplied,
            State = ByteString.CopyFrom(state),
        }).ConfigureAwait(false);
        return (string?)null;
    }));

    // A named actor's end reaches the service through the node's registry; an unnamed one's record
    // (made by its first failure report) and checkpoint are dropped here.
    public void Ended(ActorSpec actor, ulong node)
    {
        if (actor.Name is null)
        {
            _ = EndUnnamedAsync(actor, node);
        }
    }

    private async Task EndUnnamedAsync(ActorSpec actor, ulong node)
    {
        try
        {
            await control.EndActorAsync(ControlIds.Actor(actor.Id), $"Actor {actor.Id} ended.", ControlIds.Node(node)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nobody waits for this: its record and checkpoint stay until its job finishes (or for ever, if detached).
            logger.LogWarning("The control service was not told that restartable actor {Actor} ended: {Reason}", actor.Id, e.Message);
        }
    }
}
