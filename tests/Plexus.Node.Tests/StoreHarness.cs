using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A node's store without the node: the test plays the pressure loop, writing spill files and
/// running the restores the store asks for by hand, so every step is in its control.
/// </summary>
internal sealed class StoreHarness : IDisposable
{
    public const long Size = 100_000;

    private readonly TempDirectory _shm = TempDirectory.InSharedMemory();
    private readonly TempDirectory _root = new();

    /// <param name="time">The store's clock; default: the system's.</param>
    public StoreHarness(TimeProvider? time = null)
    {
        Store = new LocalObjectStore(TestNode.Capacity, _shm.Path);
        Spills = new SpillDirectory(Path.Combine(_root.Path, "spill"));
        Objects = new NodeObjectStore(Store, Spills, new NodeObjectStore.Settings(TimeSpan.FromSeconds(30), 0.8, SpillEnabled: true),
            time ?? TimeProvider.System, NullLogger.Instance, () => { }, Restores.Enqueue);
    }

    public LocalObjectStore Store { get; }

    public SpillDirectory Spills { get; }

    public NodeObjectStore Objects { get; }

    // Restores the store asked to start; RunRestores performs them.
    public Queue<StoredObject> Restores { get; } = new();

    // Runtimes by process number, for the outbox.
    public Dictionary<int, RecordingLink> Links { get; } = [];

    public Outbox Outbox() => new(process => Links.GetValueOrDefault(process), address => Links.GetValueOrDefault(address.Process));

    /// <summary>The addresses of the harness's node (node 1, where its tasks' owners live).</summary>
    public static LocalAddresses Addresses { get; } = new(1);

    /// <summary>
    /// A dispatcher over this store with one-slot workers (a cluster node's), for a node of
    /// <paramref name="cpus"/> CPUs offering <paramref name="offered"/> (default: nothing else);
    /// <paramref name="packageOf"/> gives each job's package (default: none, every worker serves every job);
    /// <paramref name="latency"/> and <paramref name="activity"/> are the node's telemetry (default: off).
    /// </summary>
    public TaskDispatcher Dispatcher(double cpus = 64, IReadOnlyDictionary<string, double>? offered = null, Func<JobId, string?>? packageOf = null,
        SchedulingLatency? latency = null, NodeActivity? activity = null, TaskEventRecorder? events = null) =>
        new(Objects, slotsPerWorker: 1, new LeastLoadedPlacement(slotsPerWorker: 1, pipelineDepth: 8), packageOf ?? (_ => null), Addresses,
            new ResourceLedger(cpus, offered ?? new Dictionary<string, double>()))
        {
            Latency = latency,
            Activity = activity,
            Events = events ?? TaskEventRecorder.Disabled,
        };

    /// <summary>Queues tasks on a dispatcher over this store and hands them to its workers.</summary>
    public void Dispatch(TaskDispatcher dispatcher, params TaskSpec[] specs)
    {
        var outbox = Outbox();
        foreach (var spec in specs)
        {
            dispatcher.Enqueue(spec);
        }

        dispatcher.Dispatch(outbox);
        outbox.Flush();
    }

    /// <summary>A task owned by the driver of node 1, taking <paramref name="args"/>.</summary>
    public static TaskSpec Task(params ObjectValue[] args) => new()
    {
        Id = TestNode.NewId().Task,
        Owner = new ProcessAddress(1, 0),
        Function = new FunctionDescriptor("a", "Ns.T", "M", 1),
        Args = args,
        ReturnCount = 1,
    };

    /// <summary>Creates, fills with its pattern and seals an object.</summary>
    public ObjectId Sealed(long size = Size, int owner = 0)
    {
        var id = TestNode.NewId();
        var offset = Store.TryCreate(id, size, owner)!.Value;
        TestNode.Pattern(id, Store.Arena.GetSpan(offset, (int)size));
        Store.Seal(id, ValueFormat.RawArray);
        return id;
    }

    public ObjectValue StoredValue(ObjectId id) => ObjectValue.StoredValue(id, ValueFormat.RawArray, Store.Find(id)!.Offset, Store.Find(id)!.Size, node: 1);

    /// <summary>Chooses spill victims and protects them, as the pressure loop's plan does.</summary>
    public List<StoredObject> PlanSpillOf(params ObjectId[] ids)
    {
        var victims = ids.Select(id => Store.Find(id)!).ToList();
        foreach (var victim in victims)
        {
            victim.State = StoredObjectState.Spilling;
        }

        return victims;
    }

    /// <summary>Writes the victims to one file and completes the pass.</summary>
    public SpillFile FinishSpill(List<StoredObject> victims)
    {
        var file = SpillFile.Write(Spills, Store.Arena, [.. victims.Select(v => (v.Offset, v.Size))]);
        var outbox = Outbox();
        Objects.CompleteSpill(victims, file, outbox);
        outbox.Flush();
        return file;
    }

    public void RunRestores()
    {
        while (Restores.TryDequeue(out var stored))
        {
            stored.File!.Read(stored.FileOffset, Store.Arena, stored.Offset, stored.Size);
            var outbox = Outbox();
            Objects.CompleteRestore(stored, null, outbox);
            outbox.Flush();
        }
    }

    public bool HoldsPattern(ObjectId id, long offset, long size)
    {
        var expected = new byte[size];
        TestNode.Pattern(id, expected);
        return expected.AsSpan().SequenceEqual(Store.Arena.GetSpan(offset, (int)size));
    }

    public void Dispose()
    {
        Spills.Dispose();
        Store.Dispose();
        _shm.Dispose();
        _root.Dispose();
    }

    public sealed class RecordingLink(int process) : IProcessLink
    {
        public int Process { get; } = process;

        public ConcurrentQueue<Message> Received { get; } = new();

        public LinkSendQueue Queued { get; } = new();

        public IEnumerable<TaskSpec> Executed => Received.OfType<ExecuteTask>().Select(e => e.Spec);

        public void Send(Message message) => Received.Enqueue(message);
    }
}
