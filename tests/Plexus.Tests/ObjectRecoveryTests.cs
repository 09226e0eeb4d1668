using Plexus.Core;
using Plexus.Core.Recovery;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Serialization;

namespace Plexus.Tests;

/// <summary>
/// The owner's side of lineage reconstruction, against a node that only records what the runtime
/// sends: lost stored returns are made again by running their task once more, with the same ids,
/// recursively through lost arguments; objects that cannot be made again fail saying why.
/// </summary>
public sealed class ObjectRecoveryTests : IDisposable
{
    private const ulong OwnNode = 7;
    private const ulong Victim = 5;
    private const ulong Survivor = 6;
    private static readonly JobId Job = new(1, 2);
    private static readonly FunctionDescriptor Function = new("asm", "Ns.Type", "Method", 1);

    private readonly TempDirectory _directory = new();
    private readonly RecordingStore _store;
    private readonly List<Message> _sent = [];
    // Copies the node would find of lost objects, and on which node.
    private readonly Dictionary<ObjectId, ulong> _copies = [];
    // When set, the node's answers to searches for copies wait here until the test delivers them.
    private List<Message>? _heldSearches;
    private readonly CoreRuntime _runtime;

    public ObjectRecoveryTests()
    {
        _store = new RecordingStore(SharedMemoryArena.Create(1 << 20, _directory.Path));
        _runtime = new CoreRuntime(Job, new ProcessAddress(OwnNode, 0), inlineThreshold: 16, Record, (_, _) => _store, CapabilityKey.FromClusterToken("test"));
    }

    public void Dispose()
    {
        _store.Arena.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task AStoredReturnLostWithItsNodeIsMadeAgainWithTheSameIdAndOneMoreAttempt()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);

        NodeDies(Victim);

        var again = await ResubmittedAsync(spec.Id);
        Assert.Equal(1, again.Attempt);
        Assert.Equal(1, again.Generation);
        var value = _runtime.ResolveAsync(id, _runtime.Address);
        Assert.False(value.IsCompleted, "readers wait for the run again");
        Finish(again, Survivor);
        Assert.Equal(Survivor, (await value).Node);
        Assert.Equal(id, (await value).Id);
    }

    [Fact]
    public async Task ACopyOnALiveNodeIsAdoptedInsteadOfRunningTheTaskAgain()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);
        _copies[id] = Survivor;

        NodeDies(Victim);

        var value = await _runtime.ResolveAsync(id, _runtime.Address);
        Assert.Equal(Survivor, value.Node);
        Assert.Equal(ValueLocation.Stored, value.Location);
        Assert.Equal(Survivor, Assert.Single(Sent<AdoptCopies>()).Node);
        Assert.Single(Submitted(spec.Id));
    }

    [Fact]
    public async Task AReaderThatFindsTheObjectLostWhileItsCopiesAreSearchedForWaitsForThatSearch()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);
        _heldSearches = [];
        NodeDies(Victim);

        var read = _runtime.RecoverAsync(id, Victim);

        Assert.Single(Submitted(spec.Id));
        Assert.False(read.IsCompleted);
        _runtime.Deliver(Assert.Single(_heldSearches));
        Finish(await ResubmittedAsync(spec.Id), Survivor);
        Assert.Equal(Survivor, (await read).Node);
        Assert.Equal(2, Submitted(spec.Id).Count);
    }

    [Fact]
    public async Task LostArgumentsAreMadeAgainFirstEvenAfterTheProgramDroppedThem()
    {
        var (first, firstSpec) = Submit();
        Finish(firstSpec, Victim);
        var (second, secondSpec) = Submit(TaskArgument.OfRef(first, _runtime.Address));
        Finish(secondSpec, Victim);
        _runtime.ReleaseHandle(first);

        NodeDies(Victim);

        var firstAgain = await ResubmittedAsync(firstSpec.Id);
        Assert.Empty(Submitted(secondSpec.Id).Skip(1));
        Finish(firstAgain, Survivor);
        var secondAgain = await ResubmittedAsync(secondSpec.Id);
        Assert.Equal(Survivor, secondAgain.Args[0].Node);
        Finish(secondAgain, Survivor);
        Assert.Equal(Survivor, (await _runtime.ResolveAsync(second, _runtime.Address)).Node);
    }

    [Fact]
    public async Task ConcurrentRecoveriesOfOneObjectRunItsTaskOnce()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);

        var reader = _runtime.RecoverAsync(id, Victim);
        var another = _runtime.RecoverAsync(id, Victim);
        NodeDies(Victim);

        await ResubmittedAsync(spec.Id);
        Assert.Same(reader, another);
    }

    [Fact]
    public async Task AnEarlierRunsLateValuesAreIgnored()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);
        NodeDies(Victim);
        var again = await ResubmittedAsync(spec.Id);

        Finish(spec, 9); // the first run, attempt 0, answers late
        var value = _runtime.ResolveAsync(id, _runtime.Address);
        Assert.False(value.IsCompleted);
        Finish(again, Survivor);
        Assert.Equal(Survivor, (await value).Node);
    }

    [Fact]
    public async Task AReaderThatFoundTheNodeUnreachableGetsTheValueMadeAgain()
    {
        var (id, spec) = Submit();
        var first = Finish(spec, Victim);
        _store.Unreachable.Add(Victim);

        var read = _runtime.PinCurrentAsync(first, _runtime.Address).AsTask();

        var again = await ResubmittedAsync(spec.Id);
        Finish(again, Survivor);
        var (value, pinned) = await read;
        Assert.True(pinned);
        Assert.Equal(Survivor, value.Node);
        Assert.Equal(id, value.Id);
    }

    [Fact]
    public async Task ABorrowersReadAfterALossIsAnsweredOnceTheObjectIsMadeAgain()
    {
        var (id, spec) = Submit();
        Finish(spec, Victim);
        var borrower = new ProcessAddress(Survivor, 3);

        _runtime.Deliver(new GetObject { Object = id, LostAt = Victim, Source = borrower, RequestId = 11 });

        Assert.Empty(Sent<ObjectReply>());
        Finish(await ResubmittedAsync(spec.Id), Survivor);
        var reply = await Eventually.ValueAsync(() => Sent<ObjectReply>().SingleOrDefault(), r => r is not null, "the answer to the borrower");
        Assert.Equal(Survivor, reply!.Value.Node);
    }

    [Fact]
    public async Task ATaskDroppedForALostArgumentIsSentAgainUnchargedOnceTheArgumentIsMadeAgain()
    {
        var (first, firstSpec) = Submit();
        Finish(firstSpec, Victim);
        var (_, secondSpec) = Submit(TaskArgument.OfRef(first, _runtime.Address));

        _runtime.Deliver(new ArgumentsLost { Task = secondSpec.Id, Objects = [first], Attempt = 0 });

        Assert.Empty(Submitted(secondSpec.Id).Skip(1));
        Finish(await ResubmittedAsync(firstSpec.Id), Survivor);
        var resent = await ResubmittedAsync(secondSpec.Id);
        Assert.Equal(0, resent.Attempt);
        Assert.Equal(Survivor, resent.Args[0].Node);
    }

    [Fact]
    public async Task ALostPutCannotBeMadeAgain()
    {
        var put = _runtime.Put(ValueCodec.Encode(new byte[1000], typeof(byte[])));

        var value = await _runtime.RecoverAsync(put, OwnNode);

        var lost = Assert.IsType<ObjectReconstructionFailedException>(Errors.ToException(value.Error!));
        Assert.Equal(ObjectLossReason.PutLost, lost.Reason);
        Assert.Contains("put", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReturnOfATaskOutOfRetriesFailsWithAttemptsExceeded()
    {
        var (id, spec) = Submit(options: new TaskOptions { MaxRetries = 0 });
        Finish(spec, Victim);

        NodeDies(Victim);

        Assert.Single(Submitted(spec.Id));
        var error = (await _runtime.ResolveAsync(id, _runtime.Address)).Error!;
        Assert.IsType<ReconstructionAttemptsExceededException>(Errors.ToException(error));
    }

    [Fact]
    public async Task AReturnOfATaskBoundToTheDeadNodeCannotRunAgain()
    {
        var (id, spec) = Submit(options: new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(Victim.ToString("x16")) });
        Finish(spec, Victim);

        NodeDies(Victim);

        var lost = Assert.IsType<ObjectReconstructionFailedException>(Errors.ToException((await _runtime.ResolveAsync(id, _runtime.Address)).Error!));
        Assert.Equal(ObjectLossReason.TaskNotRunnable, lost.Reason);
    }

    [Fact]
    public async Task AReturnWhoseLineageWasEvictedFailsSayingSo()
    {
        _runtime.MaxLineageBytes = 0;
        var (id, spec) = Submit();
        Finish(spec, Victim);

        NodeDies(Victim);

        Assert.Single(Submitted(spec.Id));
        var lost = Assert.IsType<LineageEvictedException>(Errors.ToException((await _runtime.ResolveAsync(id, _runtime.Address)).Error!));
        Assert.Equal(ObjectLossReason.LineageEvicted, lost.Reason);
    }

    [Fact]
    public void ARunAgainNamesItsChildrenAndPutsApartFromAnEarlierRunsButAlikeAcrossItsOwnRetries()
    {
        var task = TaskId.Root(Job).Child(5);
        var first = new TaskContext(task, onWaitChanged: null);
        var again = new TaskContext(task, onWaitChanged: null) { Generation = 1 };
        var retried = new TaskContext(task, onWaitChanged: null) { Generation = 1 };

        var (againChild, againPut) = (again.NextChildTaskId(), again.NextPutId());

        Assert.NotEqual(first.NextChildTaskId(), againChild);
        Assert.NotEqual(first.NextPutId(), againPut);
        Assert.Equal(againChild, retried.NextChildTaskId());
        Assert.Equal(againPut, retried.NextPutId());
    }

    // The node's side: what the runtime sends is recorded; searches for copies and adoptions are
    // answered (off the sending thread, as a node's answers arrive) from the copies in `_copies`.
    private void Record(Message message)
    {
        lock (_sent)
        {
            _sent.Add(message);
        }

        Message? answer = message switch
        {
            LocateObjects locate => new ObjectsLocated { RequestId = locate.RequestId, Found = [.. locate.Objects.Where(_copies.ContainsKey).Select(id => new ObjectLocation(id, _copies[id]))] },
            AdoptCopies adopt => new ObjectsLocated { RequestId = adopt.RequestId, Found = [.. adopt.Objects.Where(_copies.ContainsKey).Select(id => new ObjectLocation(id, adopt.Node))] },
            _ => null,
        };
        if (answer is not null && message is LocateObjects && _heldSearches is { } held)
        {
            held.Add(answer);
        }
        else if (answer is not null)
        {
            ThreadPool.QueueUserWorkItem(_ => _runtime.Deliver(answer));
        }
    }

    private (ObjectId Id, TaskSpec Spec) Submit(TaskArgument? arg = null, TaskOptions? options = null)
    {
        var id = _runtime.Submit(Function, arg is { } a ? [a] : [], TaskReturns.One, options ?? new TaskOptions())[0];
        return (id, Submitted(id.Task).Last());
    }

    private async Task<TaskSpec> ResubmittedAsync(TaskId task) =>
        (await Eventually.ValueAsync(() => Submitted(task).Skip(1).SingleOrDefault(), s => s is not null, $"task {task} sent again"))!;

    private List<T> Sent<T>()
    {
        lock (_sent)
        {
            return [.. _sent.OfType<T>()];
        }
    }

    private List<TaskSpec> Submitted(TaskId task)
    {
        lock (_sent)
        {
            return [.. _sent.OfType<SubmitTask>().Select(s => s.Spec).Where(s => s.Id == task)];
        }
    }

    private ObjectValue Finish(TaskSpec spec, ulong node)
    {
        var value = ObjectValue.StoredValue(ObjectId.ForReturn(spec.Id, 0), ValueFormat.MessagePack, 64, 1000, node);
        _runtime.Deliver(new TaskFinished { Task = spec.Id, Returns = [value], Attempt = spec.Attempt, Source = new ProcessAddress(node, 1) });
        return value;
    }

    private void NodeDies(ulong node) => _runtime.Deliver(new ProcessExited { Process = ProcessAddress.NodeOf(node) });

    // A store that keeps nothing: creates hand out offsets, pins give the value back, unless its
    // node is one the test made unreachable.
    private sealed class RecordingStore(SharedMemoryArena arena) : IStoreAccess
    {
        private long _next;

        public HashSet<ulong> Unreachable { get; } = [];

        public SharedMemoryArena Arena => arena;

        public ValueTask<long> CreateAsync(ObjectId id, long size, ProcessAddress owner, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Interlocked.Add(ref _next, size) - size);

        public void Seal(ObjectId id, ObjectValue value)
        {
        }

        public ValueTask<ObjectValue?> PinAsync(ObjectValue stored) => Unreachable.Contains(stored.Node)
            ? throw new ObjectUnreachableException($"node {stored.Node} cannot be reached", ObjectLossReason.Freed)
            : ValueTask.FromResult<ObjectValue?>(stored);

        public void Unpin(ObjectValue pinned)
        {
        }

        public void Free(ObjectId[] ids)
        {
        }
    }
}
