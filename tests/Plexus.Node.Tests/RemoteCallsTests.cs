using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A node keeps the actor calls it sent to other nodes until their answers pass back, so that a
/// lost node's calls are known; held for the actor's restart, they go to its next incarnation in
/// their callers' order, and one sent before its predecessor keeps waiting for it only while that
/// predecessor has not come through.
/// </summary>
public sealed class RemoteCallsTests
{
    private static readonly TaskId Scope = TaskId.Root(JobId.NewRandom()).Child(1);
    private static readonly TaskId Actor = Scope.Child(1_000);
    private static readonly TaskId OtherActor = Scope.Child(2_000);
    private static readonly ProcessAddress Caller = new(7, 3);
    private const ulong Lost = 21;
    private const ulong Alive = 22;

    [Fact]
    public void ALostNodeTakesTheCallsSentToItOrToItsActorsAndNoAnsweredOne()
    {
        var calls = new RemoteCalls();
        calls.Sending(Call(1), Lost);
        calls.Sending(Call(2), Lost);
        calls.Sending(Call(3, actor: OtherActor), Alive);
        calls.Sending(Call(4, actor: OtherActor), Alive);
        calls.Sending(Call(5, cancelled: true), Lost);
        calls.Answered(Call(2).Id);

        // OtherActor lived on the lost node too: its calls were passed on through the alive one (its home).
        var lost = calls.TakeLost(Lost, new HashSet<TaskId> { OtherActor });

        Assert.Equal([1L, 3L, 4L], lost.Select(s => s.Call.Sequence).Order());
        Assert.Equal(0, calls.Count);
    }

    [Fact]
    public void ACallSentBeforeItsPredecessorStopsWaitingOnceThePredecessorCameThrough()
    {
        var calls = new RemoteCalls();
        calls.Sending(Call(2, after: 1), Lost);
        calls.Sending(Call(4, after: 3), Lost);
        calls.Passing(Call(1));
        calls.Sending(Call(1), Lost);

        var wait = new ActorRestartWait(Lost, DateTimeOffset.MaxValue);
        wait.Interrupted.AddRange(calls.TakeLost(Lost, new HashSet<TaskId>()));
        var (send, failed) = wait.Plan(maxRetries: -1);

        Assert.Empty(failed);
        Assert.Equal([(1L, 0L), (2L, 0L), (4L, 3L)], send.Select(s => (s.Call.Sequence, s.Call.After)));
        Assert.All(send, s => Assert.Equal(1, s.Call.Attempt));
    }

    [Fact]
    public void CallsWithoutRetriesLeftFailAndTheCallsThatCameSinceFollowTheResentOnesUnchanged()
    {
        var wait = new ActorRestartWait(Lost, DateTimeOffset.MaxValue);
        wait.Interrupted.Add(new RemoteCalls.Sent(Lost, Call(2, attempt: 1)));
        wait.Interrupted.Add(new RemoteCalls.Sent(Lost, Call(1)));
        wait.Held.Add((Call(3), 0));
        wait.Held.Add((Call(1, actor: Actor, caller: new ProcessAddress(9, 1)), Alive));

        var (send, failed) = wait.Plan(maxRetries: 1);

        Assert.Equal(Call(2).Id, Assert.Single(failed).Id);
        Assert.Equal([(1L, false, 1), (2L, true, 1), (3L, false, 0), (1L, false, 0)], send.Select(s => (s.Call.Sequence, s.Call.Cancelled, s.Call.Attempt)));
        Assert.Equal(Alive, send[^1].FromPeer);
        Assert.Equal(4, wait.All.Count());
    }

    [Fact]
    public void ARestartableActorsSpecAndCodeSurviveTheControlServicesBytes()
    {
        var spec = new ActorSpec
        {
            Id = Actor,
            Owner = Caller,
            Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 0),
            Args = [ObjectValue.InlineValue(ObjectId.ForReturn(Scope, 0), ValueFormat.MessagePack, [1])],
            MaxRestarts = 2,
            MaxTaskRetries = -1,
            Resources = new Dictionary<string, double> { ["phoenix"] = 1 },
        };

        var decoded = ActorSpecs.Decode(ActorSpecs.Encode(spec, new ActorCode("package-1", new ProcessAddress(5, 2))));

        Assert.NotNull(decoded);
        Assert.Equal((spec.Id, 2, -1, "package-1", new ProcessAddress(5, 2)), (decoded.Spec.Id, decoded.Spec.MaxRestarts, decoded.Spec.MaxTaskRetries, decoded.Package, decoded.Driver));
        Assert.Null(ActorSpecs.Decode([1, 2, 3]));
    }

    private static ActorCall Call(long sequence, long after = 0, int attempt = 0, TaskId? actor = null, bool cancelled = false, ProcessAddress? caller = null) => new()
    {
        Id = Scope.Child((ulong)sequence + (actor == OtherActor ? 100UL : 0UL) + (caller is null ? 0UL : 500UL)),
        Actor = actor ?? Actor,
        Caller = caller ?? Caller,
        Scope = Scope,
        Sequence = sequence,
        After = after,
        Attempt = attempt,
        Cancelled = cancelled,
        Method = new FunctionDescriptor("Shop", "Shop.Counter", "Add", 1),
        Args = [],
    };
}
