using Microsoft.Extensions.Logging;

namespace Plexus;

/// <summary>How an embedded local cluster starts.</summary>
public sealed class PlexusOptions
{
    /// <summary>
    /// The token that admits this driver to a cluster it joins (<see cref="PlexusRuntime.StartAsync"/>
    /// with <c>PLEXUS_ADDRESS</c>, or <see cref="PlexusRuntime.ConnectAsync(string, PlexusOptions?, CancellationToken)"/>).
    /// Default: the <c>PLEXUS_TOKEN</c> environment variable, else the file <c>PLEXUS_TOKEN_FILE</c>
    /// names, else the token file of a head started on this machine with the default temp directory
    /// (<c>/tmp/plexus/token</c>).
    /// </summary>
    public string? ClusterToken { get; set; }

    /// <summary>Task slots (CPUs). Default: the number of cores.</summary>
    public int Cpus { get; set; } = Environment.ProcessorCount;

    /// <summary>Worker processes. Default: one per CPU slot.</summary>
    public int? WorkerCount { get; set; }

    /// <summary>Bytes of shared memory for the node's object store. Default: 30% of physical memory.</summary>
    public long? StoreCapacity { get; set; }

    /// <summary>Values up to this many bytes travel inline in messages; larger ones go to shared memory. Default: 100 KiB.</summary>
    public int InlineThreshold { get; set; } = 100 * 1024;

    /// <summary>Tasks queued at a worker beyond its free slots (see the node's options). Default: 8.</summary>
    public int PipelineDepth { get; set; } = 8;

    /// <summary>
    /// How long a worker of the embedded cluster's pool stays idle before it is asked to stop,
    /// while the pool has more workers than <see cref="WorkerCount"/> (it grows where actors
    /// reserve part of their workers' CPUs). A worker stops only if that loses nothing: it owns or
    /// borrows no object and runs, queues and awaits no task. Positive, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> to keep every worker; another value
    /// fails the start with <c>OptionsValidationException</c>. Default: 5 seconds.
    /// </summary>
    public TimeSpan WorkerIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long creating an object may wait while a full store makes room (owners releasing
    /// dropped handles, spilling to disk) before it fails with <see cref="ObjectStoreFullException"/>.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan? StoreFullTimeout { get; set; }

    /// <summary>
    /// The directory under which the node spills objects when its store is under pressure, in a
    /// directory of its own (<c>plexus-spill-&lt;node id&gt;</c>) removed when the runtime is disposed or
    /// the program exits; one left by a killed program is removed by the next one started. Default:
    /// the system's temp directory.
    /// </summary>
    public string? SpillDirectory { get; set; }

    /// <summary>Whether objects may be spilled to disk at all. Default: true.</summary>
    public bool SpillEnabled { get; set; } = true;

    /// <summary>
    /// Remember the user code that created each object, shown by <see cref="PlexusRuntime.GetMemoryReportAsync"/>.
    /// Costs a stack walk per put and per task submitted. Default: off.
    /// </summary>
    public bool RecordCallSites { get; set; }

    /// <summary>
    /// How many bytes of lineage this driver keeps as the owner of what it submits: for each
    /// finished task with a result in the object store, the task itself and the arguments it would
    /// need to run again should every copy of that result be lost with its node, including the
    /// values of arguments that cannot be made again (puts, actor call results) once the program
    /// dropped them. Past the budget the oldest lineage is dropped, and a result of it that is then
    /// lost fails with <see cref="LineageEvictedException"/>. Workers keep the default for what their
    /// tasks submit. Default: 256 MiB. Must not be negative (0 keeps no lineage).
    /// </summary>
    public long MaxLineageBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The lowest level of the log entries of this program's tasks and actors
    /// (<see cref="PlexusRuntime.LoggerFactory"/>) that this driver shows, and that the workers
    /// running them (in the embedded cluster or on cluster nodes) make, write to their log files
    /// and send: each task and actor carries it. Default: <see cref="LogLevel.Information"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a <see cref="LogLevel"/>.</exception>
    public LogLevel TaskLogLevel
    {
        get => _taskLogLevel;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "TaskLogLevel must be a LogLevel: Trace, Debug, Information, Warning, Error, Critical or None.");
            }

            _taskLogLevel = value;
        }
    }

    // TaskLogLevel's value.
    private LogLevel _taskLogLevel = LogLevel.Information;

    /// <summary>
    /// The namespace of this program's job: the actors it names without a namespace
    /// (<see cref="ActorBuilder{T}.WithName"/>) live there, and its lookups without one
    /// (<see cref="PlexusRuntime.GetActorAsync{T}"/>) look there, in this driver and in every task and
    /// actor of the job. Jobs that set the same namespace find each other's named actors. Default:
    /// null, the job's own anonymous namespace (<c>anonymous:</c> and the job's id, as listings show
    /// it), which no other job can name: its named actors are found by this job alone.
    /// </summary>
    /// <exception cref="ArgumentException">Set to an empty or blank string, or to a reserved namespace (starting with <c>anonymous:</c>).</exception>
    public string? Namespace
    {
        get => _namespace;
        set
        {
            ActorNamespaces.ThrowIfNotNameable(value, nameof(value));

            _namespace = value;
        }
    }

    // Namespace's value.
    private string? _namespace;

    /// <summary>
    /// The directory where the embedded cluster's workers write their own log files
    /// (<c>worker-PID.log</c>: one JSON object per line, rotated past 10 MiB), as a cluster node's
    /// workers do in its <c>&lt;temp-dir&gt;/logs</c>; created if missing. Default: null, no files.
    /// </summary>
    public string? LogDirectory { get; set; }

    /// <summary>How long to wait for the worker pool to start. Default: 60 seconds.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fault injection for tests: rewrites how each worker process is started (for example, to
    /// start a program that exits at once). Null in normal use.
    /// </summary>
    internal Func<int, System.Diagnostics.ProcessStartInfo, System.Diagnostics.ProcessStartInfo>? WorkerLaunchFault { get; set; }

    /// <summary>
    /// Whether the embedded node keeps its telemetry: its metrics meter and its task events, which
    /// it reports to the control service in the program's own process. Internal and off by default:
    /// a program cannot read the embedded cluster's task table or scrape its meter, so recording
    /// would only cost it (10–33% of the task and actor figures of the <c>micro</c> suite, measured by
    /// the observability benchmark, which turns it on). Cluster nodes keep theirs on
    /// (<c>NodeOptions.Telemetry</c>).
    /// </summary>
    internal bool Telemetry { get; set; }
}
