using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// What becomes of the calls a restartable actor had in flight when its incarnation died: each is
/// sent again to the next incarnation while it has retries left (<see cref="ActorSpec.MaxTaskRetries"/>),
/// else it fails, and a cancelled marker takes its place so that the caller's later calls are not
/// held for it for ever.
/// </summary>
/// <remarks>
/// Order per caller (a scope of one process) is kept by sending them in the scope's order and by
/// what <see cref="ActorCall.After"/> says on each: the new incarnation knows nothing of the old
/// one's, so a call whose predecessor the old one answered must not wait for it (it never comes
/// again: <c>After</c> is dropped), while one whose predecessor is interrupted too (sent just
/// before it) or has not reached the node yet (it will come to the new incarnation) keeps waiting.
/// A call's predecessor was answered when the node passed an answer of that scope at or past it.
/// </remarks>
internal static class InterruptedCalls
{
    /// <summary>The messages for the next incarnation, in order, and the calls that fail.</summary>
    public sealed record Plan(List<ActorCall> Send, List<ActorCall> Failed);

    /// <param name="interrupted">The calls in flight when the incarnation died.</param>
    /// <param name="answered">The highest sequence answered per (caller, scope), as far as the node saw.</param>
    /// <param name="maxRetries">The actor's <see cref="ActorSpec.MaxTaskRetries"/>: -1 without limit.</param>
    public static Plan Resend(IEnumerable<ActorCall> interrupted, IReadOnlyDictionary<(ProcessAddress Caller, TaskId Scope), long> answered, int maxRetries)
    {
        var send = new List<ActorCall>();
        var failed = new List<ActorCall>();
        foreach (var call in interrupted.GroupBy(c => (c.Caller, c.Scope)).SelectMany(scope => scope.OrderBy(c => c.Sequence)))
        {
            var after = call.After != 0 && answered.TryGetValue((call.Caller, call.Scope), out var last) && last >= call.After ? 0 : call.After;
            if (maxRetries == -1 || call.Attempt < maxRetries)
            {
                send.Add(call with { Attempt = call.Attempt + 1, After = after });
            }
            else
            {
                failed.Add(call);
                send.Add(call with { Cancelled = true, After = after, Args = [] });
            }
        }

        return new Plan(send, failed);
    }
}
