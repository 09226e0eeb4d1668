using System.Diagnostics.Metrics;

namespace Plexus.Node;

/// <summary>
/// The node's metrics: one <see cref="Meter"/> named <see cref="MeterName"/> per node, whose
/// instruments carry the node's id as the <c>node</c> label. Everything that can be read from
/// state the node keeps anyway is an observable instrument, read only when someone collects
/// (<see cref="INodeReadings"/>); the node adds to its hot paths only the counts of
/// <see cref="NodeActivity"/> and a clock read per queued task (<see cref="SchedulingLatency"/>).
/// Nothing is exported from here: an OpenTelemetry <c>MeterProvider</c> (the Prometheus
/// endpoint of <c>plexus start --metrics-port</c>) or a <see cref="MeterListener"/> listens to
/// the meter by name. Names are Prometheus's (a counter gains <c>_total</c> when exported).
/// </summary>
internal sealed class NodeMetrics : IDisposable
{
    /// <summary>The name of every node's meter.</summary>
    public const string MeterName = "Plexus.Node";

    private readonly Meter _meter = new(MeterName);
    // The node's id, as every measurement's "node" label.
    private readonly KeyValuePair<string, object?> _label;

    public NodeMetrics(ulong nodeId, TimeProvider time)
    {
        _label = new KeyValuePair<string, object?>("node", $"{nodeId:x16}");
        Latency = new SchedulingLatency(
            _meter.CreateHistogram("plexus_scheduling_latency_seconds", "s", "Time from a task queued at the node to its hand-over to a worker.",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SchedulingLatency.BucketBounds }),
            _label, time);
    }

    /// <summary>
    /// Publishes the observable instruments, which read <paramref name="node"/> whenever a listener
    /// collects: called once the node's parts all exist (a listener may collect at once).
    /// </summary>
    public void Observe(INodeReadings node)
    {
        var label = _label;
        _meter.CreateObservableGauge("plexus_tasks", () => TaskGauges(node.TaskStates(), label),
            description: "Tasks at the node by state: queued, waiting_for_resources, waiting_for_arguments, infeasible, running.");
        _meter.CreateObservableCounter("plexus_tasks_finished", () => FinishedCounts(label),
            description: "Tasks of the node finished, by outcome: succeeded, failed, cancelled.");
        _meter.CreateObservableCounter("plexus_actor_calls", () => new Measurement<long>(Activity.ActorCalls, label),
            description: "Calls answered by actors hosted on the node.");
        _meter.CreateObservableGauge("plexus_actors", () => ActorGauges(node.ActorStates(), label),
            description: "Actors on the node by state: alive (on a process), pending (waiting for CPUs or a node).");
        _meter.CreateObservableCounter("plexus_worker_idle_stops", () => new Measurement<long>(Activity.IdleStops, label),
            description: "Pool workers that stopped when asked as idle (the pool shrinking back to its size).");
        _meter.CreateObservableGauge("plexus_worker_processes", () => new Measurement<int>(node.WorkerProcessCount, label),
            description: "Worker processes of the node, started or joined.");
        _meter.CreateObservableGauge("plexus_object_store_used_bytes", () => new Measurement<long>(node.StoreUsed, label), "By",
            "Bytes of the node's object store in use.");
        _meter.CreateObservableGauge("plexus_object_store_capacity_bytes", () => new Measurement<long>(node.StoreCapacity, label), "By",
            "Bytes of the node's object store.");
        _meter.CreateObservableCounter("plexus_object_store_spilled_bytes", () => new Measurement<long>(node.BytesSpilled, label), "By",
            "Bytes written to spill files to make room in the store.");
        _meter.CreateObservableCounter("plexus_object_store_restored_bytes", () => new Measurement<long>(node.BytesRestored, label), "By",
            "Bytes read back from spill files.");
        _meter.CreateObservableCounter("plexus_transfer_received_bytes", () => new Measurement<long>(node.TransferBytesReceived, label), "By",
            "Bytes of objects copied into this node's store from other nodes.");
        _meter.CreateObservableCounter("plexus_transfer_sent_bytes", () => new Measurement<long>(node.TransferBytesSent, label), "By",
            "Bytes of objects sent to other nodes that copied them.");
    }

    /// <summary>The meter every instrument of this node belongs to.</summary>
    public Meter Meter => _meter;

    /// <summary>Tasks finished, actor calls answered and idle workers stopped: counted by the node under its lock.</summary>
    public NodeActivity Activity { get; } = new();

    /// <summary>Times tasks from queued to handed to a worker.</summary>
    public SchedulingLatency Latency { get; }

    private static Measurement<int>[] TaskGauges(TaskStateCounts counts, KeyValuePair<string, object?> node) =>
    [
        new(counts.Queued, node, State("queued")),
        new(counts.WaitingForResources, node, State("waiting_for_resources")),
        new(counts.WaitingForArguments, node, State("waiting_for_arguments")),
        new(counts.Infeasible, node, State("infeasible")),
        new(counts.Running, node, State("running")),
    ];

    private static Measurement<int>[] ActorGauges((int Alive, int Pending) actors, KeyValuePair<string, object?> node) =>
        [new(actors.Alive, node, State("alive")), new(actors.Pending, node, State("pending"))];

    private IEnumerable<Measurement<long>> FinishedCounts(KeyValuePair<string, object?> node) =>
        TaskOutcomes.All.Select(outcome => new Measurement<long>(Activity.Finished(outcome), node, new("outcome", outcome.Label())));

    private static KeyValuePair<string, object?> State(string state) => new("state", state);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
