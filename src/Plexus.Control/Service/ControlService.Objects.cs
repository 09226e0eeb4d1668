using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>
/// Objects, memory and per-process logs (the end of <c>PlexusState</c> in state.proto): the
/// nodes' stores as they last reported them, and reads of the log files on each node. What the
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

    /// <summary>Reads of the nodes' log files, waiting for their nodes to answer.</summary>
    internal NodeLogRequests NodeLogs { get; }

    /// <summary>The object listing and memory report over <see cref="StoreObjects"/>, call sites named from <see cref="Tasks"/>.</summary>
    internal ObjectQueries ObjectQueries => new(StoreObjects, Tasks);

    public Proto.ListObjectsReply ListObjects(Proto.ListObjectsRequest request) => ObjectQueries.List(request);

    public Proto.GetMemoryReportReply GetMemoryReport(Proto.GetMemoryReportRequest request) => ObjectQueries.Memory(request);

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

        return NodeLogs.ReadAsync(node, request.File, request.Offset, maxBytes, cancellationToken);
    }

    /// <summary>Node side: the log requests for the node, waiting up to <c>wait_millis</c> for one.</summary>
    public async Task<Proto.TakeLogRequestsReply> TakeLogRequestsAsync(Proto.TakeLogRequestsRequest request, CancellationToken cancellationToken)
    {
        var node = NodeKeys.Parse(request.NodeId, "node_id");
        var reply = new Proto.TakeLogRequestsReply();
        reply.Requests.AddRange(await NodeLogs.TakeAsync(node, TimeSpan.FromMilliseconds(Math.Max(0, request.WaitMillis)), cancellationToken).ConfigureAwait(false));
        return reply;
    }

    /// <summary>Node side: its answer to a log request it took.</summary>
    public Proto.AnswerLogRequestReply AnswerLogRequest(Proto.AnswerLogRequestRequest request)
    {
        NodeLogs.Answer(NodeKeys.Parse(request.NodeId, "node_id"), request.RequestId, request.Reply, request.Error);
        return new Proto.AnswerLogRequestReply();
    }
}
