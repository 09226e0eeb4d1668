using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>Restartable actors: the restart decisions and checkpoints their nodes ask of the service (see <c>ActorTable</c>).</summary>
internal sealed partial class ControlService
{
    public Task<Proto.ActorDecision> ReportActorFailureAsync(Proto.ActorFailure request, CancellationToken cancellationToken)
    {
        var actor = request.Actor ?? throw new ArgumentException("actor must be set");
        RequestValidation.Id(actor.ActorId, "actor.actor_id");
        RequestValidation.Id(actor.JobId, "actor.job_id");
        RequestValidation.Id(actor.NodeId, "actor.node_id");
        RequestValidation.NotBlank(actor.ClassName, "actor.class_name");
        if (actor.MaxRestarts == 0 || actor.MaxRestarts < -1)
        {
            throw new ArgumentException($"actor.max_restarts must be -1 or more than 0 for an actor that restarts; it is {actor.MaxRestarts}");
        }

        return _actors.ReportFailureAsync(request, _membership.IsAlive, cancellationToken);
    }

    public async Task<Proto.PutActorCheckpointReply> PutActorCheckpointAsync(Proto.ActorCheckpoint request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.ActorId, "actor_id");
        RequestValidation.Id(request.NodeId, "node_id");
        await _actors.PutCheckpointAsync(request, _membership.IsAlive, cancellationToken).ConfigureAwait(false);
        return new Proto.PutActorCheckpointReply();
    }
}
