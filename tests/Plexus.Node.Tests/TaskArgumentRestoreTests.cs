using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// The dispatcher over a store whose restores the test runs by hand: a task with a spilled
/// argument waits aside, others go ahead, and it runs with the argument at its new offset.
/// </summary>
public sealed class TaskArgumentRestoreTests : IDisposable
{
    private const long Size = 100_000;

    private readonly TempDirectory _shm = new(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
    private readonly TempDirectory _root = new(Path.GetTempPath());
    private readonly LocalObjectStore _store;
    private readonly SpillDirectory _spills;
    private readonly NodeObjectStore _objects;
    private readonly TaskDispatcher _dispatcher;
    private readonly RecordingLink _worker = new(1);
    private readonly RecordingLink _owner = new(0);
    // Restores the store asked to start; the test performs them.
    private readonly Queue<StoredObject> _restores = new();

    public TaskArgumentRestoreTests()
    {
        _store = new LocalObjectStore(TestNode.Capacity, _shm.Path);
        _spills = new SpillDirectory(Path.Combine(_root.Path, "spill"));
        _objects = new NodeObjectStore(_store, _spills, new NodeObjectStore.Settings(TimeSpan.FromSeconds(30), 0.8, SpillEnabled: true),
            NullLogger.Instance, () => { }, _restores.Enqueue);
        _dispatcher = new TaskDispatcher(_objects, slotsPerWorker: 1, pipelineDepth: 8);
        _dispatcher.AddWorker(1, new WorkerState(_worker, null));
    }

    public void Dispose()
    {
        _spills.Dispose();
        _store.Dispose();
        _shm.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void TaskWithASpilledArgumentWaitsWhileOthersRunAndThenSeesItsNewOffset()
    {
        var spilled = Sealed();
        var inMemory = Sealed();
        var spilledArg = ObjectValue.StoredValue(spilled, ValueFormat.RawArray, _store.Find(spilled)!.Offset, Size);
        SpillAll(spilled);
        // Something else takes the freed range, so the restore must land elsewhere.
        Sealed();

        var waiting = Spec(spilledArg);
        var ready = Spec(ObjectValue.StoredValue(inMemory, ValueFormat.RawArray, _store.Find(inMemory)!.Offset, Size));
        Dispatch(waiting, ready);

        Assert.Equal(ready.Id, Assert.Single(_worker.Executed).Id);
        var stored = Assert.Single(_restores);
        Assert.Equal(StoredObjectState.Restoring, stored.State);
        RunRestores();

        var executed = _worker.Executed.Last();
        Assert.Equal(waiting.Id, executed.Id);
        Assert.NotEqual(spilledArg.Offset, executed.Args[0].Offset);
        var expected = new byte[Size];
        TestNode.Pattern(spilled, expected);
        Assert.Equal(expected, _store.Arena.GetSpan(executed.Args[0].Offset, (int)Size).ToArray());
        Assert.Equal(1, _store.Find(spilled)!.Pins);
    }

    [Fact]
    public void TaskWhoseArgumentCannotBeReadBackFailsWithTheReason()
    {
        var spilled = Sealed();
        var arg = ObjectValue.StoredValue(spilled, ValueFormat.RawArray, _store.Find(spilled)!.Offset, Size);
        SpillAll(spilled);

        Dispatch(Spec(arg));
        var outbox = Outbox();
        _objects.CompleteRestore(_restores.Dequeue(), "disk on fire", outbox);
        outbox.Flush();

        var failed = Assert.Single(_owner.Received.OfType<TaskFinished>());
        Assert.Equal(ErrorKind.ObjectLost, failed.Error!.Kind);
        Assert.Contains("disk on fire", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Executed);
        Assert.Equal(StoredObjectState.Spilled, _store.Find(spilled)!.State);
    }

    private ObjectId Sealed()
    {
        var id = TestNode.NewId();
        var offset = _store.TryCreate(id, Size, owner: 0)!.Value;
        TestNode.Pattern(id, _store.Arena.GetSpan(offset, (int)Size));
        _store.Seal(id, ValueFormat.RawArray);
        return id;
    }

    private void SpillAll(ObjectId id)
    {
        var victims = _store.ChooseVictims(Size, long.MaxValue);
        Assert.Equal(id, Assert.Single(victims).Id);
        victims[0].State = StoredObjectState.Spilling;
        var file = SpillFile.Write(_spills, _store.Arena, [(victims[0].Offset, Size)]);
        _objects.CompleteSpill(victims, file, Outbox());
        Assert.Equal(StoredObjectState.Spilled, _store.Find(id)!.State);
    }

    private void RunRestores()
    {
        while (_restores.TryDequeue(out var stored))
        {
            stored.File!.Read(stored.FileOffset, _store.Arena, stored.Offset, stored.Size);
            var outbox = Outbox();
            _objects.CompleteRestore(stored, null, outbox);
            outbox.Flush();
        }
    }

    private void Dispatch(params TaskSpec[] specs)
    {
        var outbox = Outbox();
        foreach (var spec in specs)
        {
            _dispatcher.Enqueue(spec);
        }

        _dispatcher.Dispatch(outbox);
        outbox.Flush();
    }

    private Outbox Outbox() => new(process => process == 0 ? _owner : process == 1 ? _worker : null);

    private static TaskSpec Spec(ObjectValue arg) => new()
    {
        Id = TestNode.NewId().Task,
        Owner = new ProcessAddress(1, 0),
        Function = new FunctionDescriptor("a", "T", "M", 1),
        Args = [arg],
        ReturnCount = 1,
    };

    private sealed class RecordingLink(int process) : IProcessLink
    {
        public int Process { get; } = process;

        public ConcurrentQueue<Message> Received { get; } = new();

        public IEnumerable<TaskSpec> Executed => Received.OfType<ExecuteTask>().Select(e => e.Spec);

        public void Send(Message message) => Received.Enqueue(message);
    }
}
