namespace Plexus.Node;

/// <summary>How a node daemon runs: its resources, its store and its worker pool.</summary>
internal sealed class NodeOptions
{
    private int _transferChunkBytes = 4 << 20;
    private int _transferChunksInFlight = 4;

    /// <summary>Task slots (CPUs) on this node. Default: the number of cores.</summary>
    public int Cpus { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Worker processes in the pool. Default: one per CPU slot. A node of a cluster has none of
    /// its own (0): it starts a pool per job package (<see cref="PreparePackage"/>) when a job brings one.
    /// </summary>
    public int? WorkerCount { get; set; }

    /// <summary>
    /// Makes a job package ready on this node (fetched into its cache) so that workers can start
    /// from it: called once per package, the first time a job of it has work here; the pool of that
    /// package (one worker per CPU slot) starts when it completes. Null: this node runs no job
    /// packages (the embedded cluster's pool runs its program's code), and refuses a job that brings one.
    /// </summary>
    public Func<string, CancellationToken, Task>? PreparePackage { get; set; }

    /// <summary>
    /// Where the names of actors are kept, and so how far a name is unique. Null: by this node
    /// alone (<see cref="LocalActorRegistry"/>), right when the node is the whole cluster; a
    /// node of a cluster passes its control service's. Default: null.
    /// </summary>
    public IActorRegistry? ActorRegistry { get; set; }

    /// <summary>
    /// Decides whether a restartable actor that died is built again, and keeps its checkpoints.
    /// Null: this node alone (<see cref="LocalActorSupervisor"/>), right when the node is the whole
    /// cluster; a node of a cluster passes its control service's. Default: null.
    /// </summary>
    public IActorSupervisor? ActorSupervisor { get; set; }

    /// <summary>Custom resources this node offers (<c>"GPU"</c>, <c>"ssd"</c>...), which tasks may ask for. Default: none.</summary>
    public Dictionary<string, double> Resources { get; set; } = [];

    /// <summary>Bytes of shared memory for the object store. Default: 30% of physical memory.</summary>
    public long StoreCapacity { get; set; } = DefaultStoreCapacity();

    /// <summary>
    /// The cluster this node belongs to: other nodes link to it only when they name the same one
    /// (and present the token). Default: the node's own id (a cluster of one node).
    /// </summary>
    public ulong? ClusterId { get; set; }

    /// <summary>The shared secret every process must present to join. Default: a random token.</summary>
    public string ClusterToken { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Tasks handed to a worker beyond its free slots, queued at the worker so that short tasks
    /// are batched on the socket. Higher raises throughput of tiny tasks; lower limits how long
    /// a queued task can wait behind a slow one. Default: 8.
    /// </summary>
    public int PipelineDepth { get; set; } = 8;

    /// <summary>
    /// How long a pool worker stays idle (no task in its hands, no actor) before the node asks it
    /// to stop, while its pool has more workers than its size (it grew for actors' reservations):
    /// the worker stops only if that loses nothing (it owns or borrows no object, runs and awaits
    /// no task), and the pool never drops below its size. Positive, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> to keep every worker while the node lives; another
    /// value throws <see cref="ArgumentOutOfRangeException"/> when the node starts. Default: 5 seconds.
    /// </summary>
    public TimeSpan WorkerIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the store's shared-memory file is created (it is unlinked at once). Default: /dev/shm.</summary>
    public string? StoreDirectory { get; set; }

    /// <summary>
    /// How long a create request, or the read-back of a spilled object, waits for room (frees,
    /// collection by the runtimes, spilling) before it fails with <c>ObjectStoreFullException</c>.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The fraction of the store's capacity above which the node asks runtimes to collect and
    /// then spills objects to disk, down to 0.1 below it. Default: 0.8.
    /// </summary>
    public double SpillHighWater { get; set; } = 0.8;

    /// <summary>Whether sealed, unpinned objects may be written to disk to make room. Default: true.</summary>
    public bool SpillEnabled { get; set; } = true;

    /// <summary>
    /// The directory under which the node keeps its spill files, in a directory of its own,
    /// <c>plexus-spill-&lt;node id&gt;</c>, created on the first spill and deleted when the node is
    /// disposed or its process exits. A node that starts also deletes the directories there of
    /// nodes whose process is gone (killed, or ended by a signal), never those of a live one.
    /// Default: the system's temp directory.
    /// </summary>
    public string? SpillDirectory { get; set; }

    /// <summary>
    /// The bytes of one chunk when an object is copied from another node: the puller asks for the
    /// object in chunks of this size and writes each straight into its store. Between 4 KiB and
    /// 16 MiB (a chunk travels as one message); another value throws
    /// <see cref="ArgumentOutOfRangeException"/>. Default: 4 MiB.
    /// </summary>
    public int TransferChunkBytes
    {
        get => _transferChunkBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TransferSettings.MinChunkBytes, nameof(TransferChunkBytes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TransferSettings.MaxChunkBytes, nameof(TransferChunkBytes));
            _transferChunkBytes = value;
        }
    }

    /// <summary>
    /// Chunks one copy asks for before the first answer arrives: more fill a long link sooner,
    /// fewer leave more room on it for other messages (a chunk's bytes queue ahead of them).
    /// At least 1; less throws <see cref="ArgumentOutOfRangeException"/>. Default: 4.
    /// </summary>
    public int TransferChunksInFlight
    {
        get => _transferChunksInFlight;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(TransferChunksInFlight));
            _transferChunksInFlight = value;
        }
    }

    /// <summary>
    /// Whether the node keeps its telemetry: the metrics of its meter <c>Plexus.Node</c>
    /// (<see cref="NodeMetrics"/>), which cost nothing until someone listens (an OpenTelemetry
    /// <c>MeterProvider</c>, a <c>MeterListener</c>). Off, the node publishes no instruments and
    /// counts nothing for them, and records no task events (<see cref="RecordTaskEvents"/>): the
    /// switch the observability benchmark compares against.
    /// Default: true.
    /// </summary>
    public bool Telemetry { get; set; } = true;

    /// <summary>
    /// Whether the node records the steps of each task and actor call (submitted, queued and why,
    /// dispatched, started, ended) for the cluster's task table (<c>plexus list tasks</c>), when its
    /// <see cref="Telemetry"/> is on. Off, the node records nothing. Default: true.
    /// </summary>
    public bool RecordTaskEvents { get; set; } = true;

    /// <summary>
    /// How many task events the node holds between two reports to the control service (about a
    /// second apart); beyond that the oldest are dropped, and counted. Default: 32 768.
    /// </summary>
    public int TaskEventCapacity { get; set; } = 32_768;

    /// <summary>
    /// The clock of every wait and timeout in the node: queued creates' <see cref="CreateTimeout"/>,
    /// collection rounds, spill retries, worker restarts, waits for processes to exit. Tests pass a
    /// fake one to move time on at will. Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal static long DefaultStoreCapacity()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Max(64L << 20, (long)(total * 0.3));
    }
}
