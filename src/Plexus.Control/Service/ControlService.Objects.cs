using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>
/// Objects, memory and per-process logs (the end of <c>PlexusState</c> in state.proto): the
/// nodes' stores as they last reported them, what their processes hold when asked, and reads of
/// the log files on each node. What the
/// head's dashboard calls in-process as the gRPC service does.
/// </summary>
internal sealed partial class ControlService
{
    /// <summary>The largest read of a log file one request gets.</summary>
    public const int MaxLogReadBytes = 1 << 20;

    /// <summary>What a log read gets when it names no size.</summary>
    public const int DefaultLogReadBytes = 256 << 10;

    /// <summary>Each node's object store at its latest report.</summary>
    internal ObjectTable StoreObjects { get; }

    /// <summary>Questions for the nodes (log reads, summaries of held objects), waiting for their nodes to answer.</summary>
    internal NodeRequests NodeRequests { get; }

    /// <summary>The object listing and memory report over <see cref="StoreObjects"/>, call sites named from <see cref="Tasks"/>.</summary>
    internal ObjectQueries ObjectQueries => new(StoreObjects, Tasks);

    /// <summary>
    /// The objects in the stores as last reported; with <c>include_held</c>, also those the processes
    /// of the matching alive nodes hold, asked of them now (at most <see cref="NodeRequests.AnswerTimeout"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A filter or the limit is malformed.</exception>
    public async Task<Proto.ListObjectsReply> ListObjectsAsync(Proto.ListObjectsRequest request, CancellationToken cancellationToken)
    {
        var (_, node, limit) = ObjectQueries.Filters(request);
        var held = request.IncludeHeld ? await GatherHeldAsync(node, limit, cancellationToken).ConfigureAwait(false) : HeldObjects.None;
        return ObjectQueries.List(request, held);
    }

    /// <summary>The memory report; with <c>include_held</c>, counting the inline values the processes of the alive nodes hold, asked of them now.</summary>
    public async Task<Proto.GetMemoryReportReply> GetMemoryReportAsync(Proto.GetMemoryReportRequest request, CancellationToken cancellationToken)
    {
        var held = request.IncludeHeld
            ? await GatherHeldAsync(node: null, HeldListedForMemory, cancellationToken).ConfigureAwait(false)
            : HeldObjects.None;
        return ObjectQueries.Memory(request, held);
    }

    /// <summary>How many entries each process lists for the memory report's call sites: as many as a store does.</summary>
    private const int HeldListedForMemory = 1000;

    private Task<HeldObjects> GatherHeldAsync(ulong? node, int largest, CancellationToken cancellationToken)
    {
        var alive = _membership.List().Nodes
            .Where(n => n.State == Proto.NodeState.Alive)
            .Select(n => NodeKeys.Parse(n.NodeId, "node_id"))
            .Where(n => node is null || n == node);
        return HeldObjects.GatherAsync(NodeRequests, alive, largest,
            (silent, reason) => ControlLog.NodeHeldObjectsSilent(_logger, $"{silent:x16}", reason), cancellationToken);
    }

    /// <summary>A node's log files (no file named) or a range of one, read by the node.</summary>
    /// <exception cref="ArgumentException">The node id, file name or size is malformed.</exception>
    /// <exception cref="InvalidOperationException">The node is not alive, did not answer in time, or could not read the file.</exception>
    public Task<Proto.ReadNodeLogReply> ReadNodeLogAsync(Proto.ReadNodeLogRequest request, CancellationToken cancellationToken)
    {
        var node = NodeKeys.Parse(request.NodeId, "node_id");
        if (request.File.Length > 0 && !LogFileNames.IsPlain(request.File))
        {
            throw new ArgumentException($"file '{request.File}' is not a log file's name: give a name as plexus logs --node NODE --list shows it.");
        }

        var maxBytes = request.MaxBytes == 0 ? DefaultLogReadBytes : request.MaxBytes;
        if (maxBytes is < 1 or > MaxLogReadBytes)
        {
            throw new ArgumentException($"max_bytes must be between 1 and {MaxLogReadBytes}; it is {request.MaxBytes}.");
        }

        if (!_membership.IsAlive(request.NodeId))
        {
            throw new InvalidOperationException($"Node {node:x16} is not an alive node of this cluster: see plexus list nodes.");
        }

        return NodeRequests.ReadLogAsync(node, new Proto.LogRequest { File = request.File, Offset = request.Offset, MaxBytes = maxBytes }, cancellationToken);
    }

    /// <summary>Node side: the requests for the node, waiting up to <c>wait_millis</c> for one.</summary>
    public async Task<Proto.TakeNodeRequestsReply> TakeNodeRequestsAsync(Proto.TakeNodeRequestsRequest request, CancellationToken cancellationToken)
    {
        var node = NodeKeys.Parse(request.NodeId, "node_id");
        var reply = new Proto.TakeNodeRequestsReply();
        reply.Requests.AddRange(await NodeRequests.TakeAsync(node, TimeSpan.FromMilliseconds(Math.Max(0, request.WaitMillis)), cancellationToken).ConfigureAwait(false));
        return reply;
    }

    /// <summary>Node side: its answer to a request it took.</summary>
    public Proto.AnswerNodeRequestReply AnswerNodeRequest(Proto.AnswerNodeRequestRequest request)
    {
        NodeRequests.Answer(NodeKeys.Parse(request.NodeId, "node_id"), request);
        return new Proto.AnswerNodeRequestReply();
    }
}
