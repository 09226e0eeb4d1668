using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Actors;

/// <summary>What becomes of a restartable actor whose incarnation died, from its record alone.</summary>
internal static class ActorRestartPolicy
{
    public enum Outcome
    {
        /// <summary>Build the next incarnation: one restart more.</summary>
        Restart,

        /// <summary>The report is about an incarnation already replaced (a retried report): the one alive stands, nothing is counted.</summary>
        AlreadyRestarted,

        /// <summary>Every restart <c>max_restarts</c> allows is used: the actor is dead.</summary>
        Exhausted,
    }

    public static Outcome Decide(Proto.ActorInfo actor, long diedIncarnation) =>
        diedIncarnation < actor.Incarnation ? Outcome.AlreadyRestarted
        : actor.MaxRestarts != -1 && actor.NumRestarts >= actor.MaxRestarts ? Outcome.Exhausted
        : Outcome.Restart;
}
