using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The answer a node gives in place of a call's result when the actor is dead: <c>ActorDiedException</c> with its cause.</summary>
internal static class ActorDeathAnswer
{
    /// <param name="node">The answering node's address.</param>
    /// <param name="call">The call that fails.</param>
    /// <param name="caller">Who made it.</param>
    /// <param name="reason">Why the actor is dead, as a sentence for the caller.</param>
    /// <param name="cause">Why, as <see cref="ActorDiedException.Cause"/> says it.</param>
    public static TaskFinished For(ProcessAddress node, TaskId call, ProcessAddress caller, string reason, ActorDeathCause cause) => new()
    {
        Target = caller,
        Source = node,
        Task = call,
        Returns = [],
        Error = ErrorInfo.Of(ErrorKind.ActorDied, reason) with { Cause = (byte)cause },
    };
}
