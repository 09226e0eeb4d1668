using System.Collections.Concurrent;
using Plexus.Core;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Worker;

namespace Plexus.Tests;

/// <summary>
/// A worker asked to stop as idle says yes only when its process can end with nothing lost: it
/// owns and borrows no object and has no task queued or running; on yes it stops once the answer is written.
/// </summary>
public sealed class IdleStopTests : IDisposable
{
    private static readonly JobId Job = new(1, 2);
    private static readonly ProcessAddress Self = new(7, 1);

    private readonly ConcurrentQueue<Message> _sent = new();
    private readonly CoreRuntime _runtime;
    private readonly TaskExecutor _executor;
    // Completes the flush of the answer: the worker must not stop before.
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IdleStop _idle;
    private int _stops;

    public IdleStopTests()
    {
        _runtime = new CoreRuntime(Job, Self, 1024, _sent.Enqueue, (_, _) => null!, CapabilityKey.FromClusterToken("test"));
        _executor = new TaskExecutor(_runtime, slots: 1, (_, _) => { }, () => Task.CompletedTask);
        _idle = new IdleStop(_runtime, _executor, new ActorHost(_runtime, _executor.Reserve), () => _written.Task, () => Interlocked.Increment(ref _stops));
    }

    public void Dispose() => _runtime.Close(new ObjectDisposedException("test over"));

    [Fact]
    public async Task AWorkerHoldingNothingSaysYesAndStopsOnceItsAnswerIsWritten()
    {
        var answering = _idle.AnswerAsync();

        Assert.True(Answer().Stopping);
        Assert.Equal(0, Volatile.Read(ref _stops));
        _written.SetResult();
        await answering;
        Assert.Equal(1, Volatile.Read(ref _stops));
    }

    [Fact]
    public async Task AWorkerThatOwnsAnObjectSaysNoAndStays()
    {
        _runtime.References.AddOwned(ObjectId.ForPut(TaskId.Root(Job), 1), handles: 1, pendingTasks: 0, callSite: null);

        await AnswerNow();

        Assert.False(Answer().Stopping);
        Assert.Equal(0, Volatile.Read(ref _stops));
    }

    [Fact]
    public async Task AWorkerThatBorrowsAnObjectSaysNoAndStays()
    {
        Assert.True(_runtime.References.AddHandle(ObjectId.ForPut(TaskId.Root(Job), 1), new ProcessAddress(7, 2)));

        await AnswerNow();

        Assert.False(Answer().Stopping);
        Assert.Equal(0, Volatile.Read(ref _stops));
    }

    [Fact]
    public async Task AWorkerWithATaskQueuedSaysNoAndStays()
    {
        // An actor's reservation holds the worker's only CPU: the task waits in the worker's queue.
        _executor.Reserve(1);
        _executor.Enqueue(new TaskSpec
        {
            Id = TaskId.Root(Job).Child(9),
            Owner = new ProcessAddress(7, 0),
            Function = new FunctionDescriptor("a", "Ns.T", "M", 1),
            Args = [],
            ReturnCount = 1,
        });

        await AnswerNow();

        Assert.False(Answer().Stopping);
        Assert.Equal(0, Volatile.Read(ref _stops));
    }

    private Task AnswerNow()
    {
        _written.TrySetResult();
        return _idle.AnswerAsync();
    }

    private StopIfIdleAnswer Answer()
    {
        var answer = Assert.Single(_sent.OfType<StopIfIdleAnswer>());
        Assert.Equal(ProcessAddress.NodeOf(Self.Node), answer.Target);
        return answer;
    }
}
