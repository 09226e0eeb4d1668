using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// The calls a restartable actor had in flight when its incarnation died: re-sent in each caller's
/// order, waiting only for predecessors that will still come, or failed with a marker in their place.
/// </summary>
public sealed class InterruptedCallsTests
{
    private static readonly TaskId Scope = TaskId.Root(JobId.NewRandom()).Child(1);
    private static readonly TaskId Actor = Scope.Child(1_000);
    private static readonly ProcessAddress Caller = new(7, 3);
    private static readonly Dictionary<(ProcessAddress, TaskId), long> NothingAnswered = [];

    [Fact]
    public void CallsAreResentInTheirCallersOrderWithOneMoreAttempt()
    {
        var plan = InterruptedCalls.Resend([Call(3), Call(1), Call(2)], NothingAnswered, maxRetries: 1);

        Assert.Equal([1L, 2L, 3L], plan.Send.Select(c => c.Sequence));
        Assert.All(plan.Send, c => Assert.Equal(1, c.Attempt));
        Assert.Empty(plan.Failed);
    }

    [Fact]
    public void ACallWaitsForAPredecessorNotAnsweredAndNotForOneTheOldIncarnationAnswered()
    {
        // Another scope's call 5 follows its 4, which has not reached the node yet; call 9 follows 8, which was answered.
        var other = Scope.Child(2);
        Dictionary<(ProcessAddress, TaskId), long> answered = new() { [(Caller, Scope)] = 8 };
        var plan = InterruptedCalls.Resend([Call(5, after: 4) with { Scope = other }, Call(9, after: 8)], answered, maxRetries: -1);

        Assert.Equal(4, plan.Send.Single(c => c.Scope == other).After);
        Assert.Equal(0, plan.Send.Single(c => c.Scope == Scope).After);
    }

    [Fact]
    public void ACallOutOfRetriesFailsAndACancelledMarkerTakesItsPlace()
    {
        var plan = InterruptedCalls.Resend([Call(1, attempt: 1), Call(2, after: 1, attempt: 0)], NothingAnswered, maxRetries: 1);

        Assert.Equal([1L], plan.Failed.Select(c => c.Sequence));
        Assert.Equal([(1L, true), (2L, false)], plan.Send.Select(c => (c.Sequence, c.Cancelled)));
        Assert.Empty(plan.Send[0].Args);
    }

    private static ActorCall Call(long sequence, long after = 0, int attempt = 0) => new()
    {
        Id = Scope.Child((ulong)sequence),
        Actor = Actor,
        Caller = Caller,
        Scope = Scope,
        Sequence = sequence,
        After = after,
        Attempt = attempt,
        Method = new FunctionDescriptor("Shop", "Shop.Counter", "Add", 1),
        Args = [ObjectValue.InlineValue(ObjectId.ForReturn(Scope, 0), ValueFormat.MessagePack, [1])],
    };
}
