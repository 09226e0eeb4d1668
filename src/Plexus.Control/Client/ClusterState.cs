using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>
/// Reads a cluster's state from its head's control service: nodes, jobs, workers, actors, and the
/// task table (every task's and actor call's latest state, why it waits or failed, where and when
/// it ran), filtered, sorted and paged on the head. What <c>plexus list</c>, <c>plexus summary</c>
/// and <c>plexus timeline</c> show. Thread-safe; one instance reuses one connection.
/// </summary>
/// <remarks>
/// The task table lives in the head's memory (a restarted control service starts it empty) and
/// keeps a bounded history: the earliest finished tasks are forgotten beyond a bound (100 000 by
/// default); tasks not ended never are. Nodes report about once a second, so a task's latest step
/// shows within about a second. Every method throws <see cref="ClusterStateUnavailableException"/>
/// when the service cannot answer, <see cref="ArgumentException"/> for a malformed query (an id
/// that is not hex of the right length, a limit out of range, a page token the service never
/// gave), and <see cref="OperationCanceledException"/> when the token is cancelled.
/// </remarks>
public sealed class ClusterState : IAsyncDisposable
{
    private readonly IControlClient _client;

    internal ClusterState(IControlClient client) => _client = client;

    /// <summary>Connects to the control service at <paramref name="address"/> (e.g. <c>http://10.0.0.5:6380</c>) with the cluster's token. Does not connect yet.</summary>
    /// <param name="address">The head's control address, an absolute <c>http://</c> URI.</param>
    /// <param name="clusterToken">
    /// The cluster's token (the head's <c>token</c> file, or <c>PLEXUS_TOKEN</c>), or its read-only token (the head's
    /// <c>readonly-token</c> file), which reads tasks, summaries, workers, actors and timelines; with it
    /// <see cref="ListNodesAsync"/> and <see cref="ListJobsAsync"/> fail with <see cref="ClusterStateUnavailableException"/> naming the read-only token.
    /// </param>
    /// <param name="callTimeout">How long one query may take before it fails. Default: 10 s.</param>
    /// <exception cref="ArgumentException">The address is not an absolute http URI, or the token is empty.</exception>
    public static ClusterState Connect(Uri address, string clusterToken, TimeSpan? callTimeout = null) =>
        new(new ControlClient(address, clusterToken) { CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10) });

    /// <summary>A page of the tasks and actor calls <paramref name="query"/> matches (all, 100 at a time, when null), in submission order.</summary>
    public async Task<TaskPage> ListTasksAsync(TaskQuery? query = null, CancellationToken cancellationToken = default)
    {
        var request = StateMessages.ToRequest(query ?? new TaskQuery());
        var reply = await Call(c => c.ListTasksAsync(request, cancellationToken)).ConfigureAwait(false);
        return StateMessages.ToPage(reply);
    }

    /// <summary>How many tasks of each function are in each state: of the job <paramref name="jobId"/> (hex), or of all jobs when null.</summary>
    public async Task<IReadOnlyList<FunctionTaskCounts>> SummarizeTasksAsync(string? jobId = null, CancellationToken cancellationToken = default)
    {
        var request = new Proto.SummarizeTasksRequest { JobId = StateMessages.Id(jobId, 16, nameof(jobId)) };
        var reply = await Call(c => c.SummarizeTasksAsync(request, cancellationToken)).ConfigureAwait(false);
        return [.. reply.Functions.Select(StateMessages.ToCounts)];
    }

    /// <summary>The worker processes of the node <paramref name="nodeId"/> (hex), or of every node when null.</summary>
    public async Task<IReadOnlyList<WorkerEntry>> ListWorkersAsync(string? nodeId = null, CancellationToken cancellationToken = default)
    {
        var request = new Proto.ListWorkersRequest { NodeId = StateMessages.Id(nodeId, 8, nameof(nodeId)) };
        var reply = await Call(c => c.ListWorkersAsync(request, cancellationToken)).ConfigureAwait(false);
        return [.. reply.Workers.Select(StateMessages.ToWorker)];
    }

    /// <summary>
    /// The actors of the actor table (named and restartable ones; the head hears of no others)
    /// in <paramref name="state"/> (<c>ALIVE</c>, <c>PENDING</c>, <c>RESTARTING</c>, <c>DEAD</c>;
    /// any when null), of a job and on a node when given; live ones first; at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<ActorEntry>> ListActorsAsync(
        string? state = null, string? jobId = null, string? nodeId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var request = new Proto.ListActorsRequest
        {
            State = StateMessages.ActorState(state),
            JobId = StateMessages.Id(jobId, 16, nameof(jobId)),
            NodeId = StateMessages.Id(nodeId, 8, nameof(nodeId)),
            Limit = limit,
        };
        var reply = await Call(c => c.ListActorsAsync(request, cancellationToken)).ConfigureAwait(false);
        return [.. reply.Actors.Select(StateMessages.ToActor)];
    }

    /// <summary>Every node the service knows, alive and dead, in the order they joined.</summary>
    public async Task<IReadOnlyList<NodeEntry>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        [.. (await Call(c => c.ListNodesAsync(cancellationToken)).ConfigureAwait(false)).Select(StateMessages.ToNode)];

    /// <summary>Every job the service remembers, running and finished, in start order.</summary>
    public async Task<IReadOnlyList<JobEntry>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        [.. (await Call(c => c.ListJobsAsync(cancellationToken)).ConfigureAwait(false)).Select(StateMessages.ToJob)];

    /// <summary>The tasks of job <paramref name="jobId"/> (hex) as spans, in submission order: where and when each ran.</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is not a job id.</exception>
    public async Task<IReadOnlyList<TimelineSpan>> GetTimelineAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var request = new Proto.GetTimelineRequest { JobId = StateMessages.Id(jobId, 16, nameof(jobId)) };
        var reply = await Call(c => c.GetTimelineAsync(request, cancellationToken)).ConfigureAwait(false);
        return [.. reply.Spans.Select(StateMessages.ToSpan)];
    }

    /// <summary>
    /// The objects in the nodes' stores (values too large to travel inline), as each node last
    /// reported them, largest first: of the job <paramref name="jobId"/> and on the node
    /// <paramref name="nodeId"/> (hex) when given; at most <paramref name="limit"/> (1 to 10 000).
    /// Each node lists its largest 1 000; <see cref="ObjectListing.Total"/> counts all.
    /// With <paramref name="includeHeld"/> (default false), also the objects the drivers and workers
    /// hold in their own memory (small values, pending results, borrowed refs), asked of every
    /// process of the alive nodes now: the call then takes up to a few seconds, and a node or
    /// process that does not answer in time is named in the listing rather than waited for.
    /// </summary>
    public async Task<ObjectListing> ListObjectsAsync(
        string? jobId = null, string? nodeId = null, int limit = 100, bool includeHeld = false, CancellationToken cancellationToken = default)
    {
        var request = new Proto.ListObjectsRequest
        {
            JobId = StateMessages.Id(jobId, 16, nameof(jobId)),
            NodeId = StateMessages.Id(nodeId, 8, nameof(nodeId)),
            Limit = limit,
            IncludeHeld = includeHeld,
        };
        return StateMessages.ToListing(await Call(c => c.ListObjectsAsync(request, cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>
    /// The memory report: the stores' objects grouped by node (the default), job or call site,
    /// largest group first, and each node's store capacity, use and spilled bytes. By call site
    /// only the objects the nodes listed (each its largest 1 000) are named; the rest are <c>(not listed)</c>.
    /// With <paramref name="includeHeld"/> (default false), the groups also count the small values
    /// drivers and workers hold in their own memory (<see cref="MemoryGroup.HeldBytes"/>), asked of
    /// every process now, as <see cref="ListObjectsAsync"/> does.
    /// </summary>
    public async Task<ClusterMemoryReport> GetMemoryReportAsync(
        MemoryGrouping groupBy = MemoryGrouping.Node, bool includeHeld = false, CancellationToken cancellationToken = default)
    {
        var request = new Proto.GetMemoryReportRequest { GroupBy = StateMessages.ToGrouping(groupBy), IncludeHeld = includeHeld };
        return StateMessages.ToReport(groupBy, await Call(c => c.GetMemoryReportAsync(request, cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task<T> Call<T>(Func<IControlClient, Task<T>> call)
    {
        try
        {
            return await call(_client).ConfigureAwait(false);
        }
        catch (ControlServiceUnavailableException e)
        {
            throw new ClusterStateUnavailableException(e.Message, e);
        }
    }
}
