using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>Before spilling, the node asks its runtimes to collect; what they free makes room first.</summary>
public sealed class PressureRoundTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public async Task FreesSentInAnswerToCollectGarbageLetAWaitingCreateProceedBeforeAnySpilling()
    {
        await using var test = new TestNode();
        var garbage = await test.PutAsync(3 * MiB);
        var rounds = new ConcurrentQueue<long>();
        Action<Message>? send = null;
        send = test.AttachDriver(message =>
        {
            if (message is CollectGarbage collect)
            {
                rounds.Enqueue(collect.Round);
                // As a runtime does: its releases first, then that it is done.
                send!(new FreeObjects { Objects = [garbage] });
                send!(new CollectDone { Round = collect.Round });
            }
        });

        var created = await test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB);

        Assert.Null(created.Error);
        Assert.Single(rounds);
        Assert.Equal(0, test.Node.BytesSpilled);
        Assert.DoesNotContain(test.Node.DescribeStore(), o => o.Id == garbage);
    }

    [Fact]
    public async Task ARuntimeThatNeverAnswersDelaysSpillingOnlyUntilTheRoundDeadline()
    {
        var time = new FakeTimeProvider();
        await using var test = new TestNode(o => o.TimeProvider = time);
        var rounds = 0;
        test.AttachDriver(message =>
        {
            if (message is CollectGarbage)
            {
                Interlocked.Increment(ref rounds);
            }
        });
        var old = await test.PutAsync(3 * MiB);
        var asked = time.GetUtcNow();

        var creating = test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB).AsTask();
        await FakeClock.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(250), () => creating.IsCompleted, "the create is served");
        var created = await creating;

        // The pressure loop's round waits a second for runtimes that do not answer, on the node's clock.
        Assert.True(time.GetUtcNow() - asked >= TimeSpan.FromSeconds(1), "spilling waited for the round deadline");
        Assert.Null(created.Error);
        Assert.True(Volatile.Read(ref rounds) >= 1);
        Assert.Equal(StoredObjectState.Spilled, test.StateOf(old));
    }
}
