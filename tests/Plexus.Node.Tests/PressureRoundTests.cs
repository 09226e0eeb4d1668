using System.Collections.Concurrent;
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
        send = test.Node.AttachDriver(message =>
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
        await using var test = new TestNode();
        var rounds = 0;
        test.Node.AttachDriver(message =>
        {
            if (message is CollectGarbage)
            {
                Interlocked.Increment(ref rounds);
            }
        });
        var old = await test.PutAsync(3 * MiB);

        var created = await test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB);

        Assert.Null(created.Error);
        Assert.True(Volatile.Read(ref rounds) >= 1);
        Assert.Equal(StoredObjectState.Spilled, test.StateOf(old));
    }
}
