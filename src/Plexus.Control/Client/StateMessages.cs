using Google.Protobuf;
using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>Translations between <see cref="ClusterState"/>'s public records and the state API's messages.</summary>
internal static class StateMessages
{
    public static Proto.ListTasksRequest ToRequest(TaskQuery query) => new()
    {
        Status = query.State is { } state ? (Proto.TaskStatus)state : Proto.TaskStatus.Unspecified,
        JobId = Id(query.JobId, 16, nameof(TaskQuery.JobId)),
        NodeId = Id(query.NodeId, 8, nameof(TaskQuery.NodeId)),
        Name = query.Name ?? string.Empty,
        Limit = query.Limit,
        PageToken = query.PageToken ?? string.Empty,
    };

    /// <summary>An id given in hex as its bytes; empty for null.</summary>
    /// <exception cref="ArgumentException">It is not hex of <paramref name="bytes"/> bytes.</exception>
    public static ByteString Id(string? hex, int bytes, string name)
    {
        if (string.IsNullOrEmpty(hex))
        {
            return ByteString.Empty;
        }

        if (hex.Length != bytes * 2 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"{name} '{hex}' is not an id: expected {bytes * 2} hex digits, as plexus list and plexus status show ids.", name);
        }

        return ByteString.CopyFrom(Convert.FromHexString(hex));
    }

    public static Proto.ActorState ActorState(string? state) => state?.ToUpperInvariant() switch
    {
        null or "" => Proto.ActorState.Unspecified,
        "ALIVE" => Proto.ActorState.Alive,
        "DEAD" => Proto.ActorState.Dead,
        "PENDING" => Proto.ActorState.Pending,
        "RESTARTING" => Proto.ActorState.Restarting,
        _ => throw new ArgumentException($"'{state}' is not an actor state: use ALIVE, PENDING, RESTARTING or DEAD.", nameof(state)),
    };

    public static TaskPage ToPage(Proto.ListTasksReply reply) =>
        new([.. reply.Tasks.Select(ToEntry)], reply.Total, reply.NextPageToken.Length == 0 ? null : reply.NextPageToken);

    public static FunctionTaskCounts ToCounts(Proto.FunctionTaskCounts counts) =>
        new(counts.Name, counts.Counts.Where(c => TaskStatusNames.Parse(c.Key) is not null)
            .ToDictionary(c => (ClusterTaskState)TaskStatusNames.Parse(c.Key)!.Value, c => c.Value));

    public static WorkerEntry ToWorker(Proto.WorkerProcess worker) => new(
        Hex(worker.NodeId)!, worker.Process, worker.Pid, worker.State, worker.Package.Length == 0 ? null : worker.Package,
        [.. worker.CurrentTasks.Select(t => Hex(t)!)], worker.Actors);

    public static ActorEntry ToActor(Proto.ActorInfo actor) => new(
        Hex(actor.ActorId)!, Hex(actor.JobId)!, actor.Namespace, actor.Name.Length == 0 ? null : actor.Name, actor.ClassName, Hex(actor.NodeId) ?? string.Empty,
        actor.State switch
        {
            Proto.ActorState.Dead => "DEAD",
            Proto.ActorState.Pending => "PENDING",
            Proto.ActorState.Restarting => "RESTARTING",
            _ => "ALIVE",
        },
        actor.DeathReason.Length == 0 ? null : actor.DeathReason, actor.NumRestarts);

    public static NodeEntry ToNode(NodeInfo node) => new(
        Convert.ToHexStringLower(node.NodeId), node.Address, node.State == NodeState.Alive ? "ALIVE" : "DEAD",
        node.Resources, node.ResourceUsage, node.DeathReason, node.RegisteredAt);

    public static JobEntry ToJob(JobInfo job) => new(
        Convert.ToHexStringLower(job.JobId), job.State == JobState.Running ? "RUNNING" : "FINISHED", job.Entry, job.Namespace, job.DriverPid, job.StartTime, job.EndTime);

    public static TimelineSpan ToSpan(Proto.TaskSpan span) => new(
        Hex(span.TaskId)!, span.Name, (ClusterTaskState)span.Status, span.Attempt, Hex(span.NodeId), span.WorkerPid, Hex(span.ActorId),
        Time(span.SubmittedUnixMicros) ?? DateTimeOffset.UnixEpoch, Time(span.StartedUnixMicros), Time(span.EndedUnixMicros));

    public static ObjectListing ToListing(Proto.ListObjectsReply reply) => new(
        [.. reply.Objects.Select(o => new ObjectEntry(
            Hex(o.ObjectId)!, Hex(o.JobId)!, Hex(o.NodeId)!, o.Size, IsHeld(o.Kind) ? HeldLocation(o.Kind) : Location(o.Location), Hex(o.PrimaryNodeId),
            o.OwnerProcess, o.OwnerPid, o.Pins, o.CallSite)
        {
            IsHeld = IsHeld(o.Kind),
            Handles = o.Handles,
            PendingTasks = o.PendingTasks,
            Borrowers = o.Borrowers,
        })],
        reply.Total)
    {
        Processes = [.. reply.Processes.Select(ToProcessObjects)],
        SilentNodes = [.. reply.SilentNodeIds.Select(n => Hex(n)!)],
    };

    public static Proto.MemoryGrouping ToGrouping(MemoryGrouping grouping) => grouping switch
    {
        MemoryGrouping.Job => Proto.MemoryGrouping.ByJob,
        MemoryGrouping.CallSite => Proto.MemoryGrouping.ByCallSite,
        MemoryGrouping.Node => Proto.MemoryGrouping.ByNode,
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Group by Node, Job or CallSite."),
    };

    public static ClusterMemoryReport ToReport(MemoryGrouping grouping, Proto.GetMemoryReportReply reply) => new(
        grouping,
        [.. reply.Groups.Select(g => new MemoryGroup(g.Key, g.Bytes, g.Objects, g.SpilledBytes) { HeldBytes = g.HeldBytes, HeldObjects = g.HeldObjects })],
        [.. reply.Nodes.Select(n => new NodeStoreUsage(
            Hex(n.NodeId)!, n.CapacityBytes, n.UsedBytes, n.SpilledBytes, n.ObjectCount, Time(n.ReportedUnixMicros) ?? DateTimeOffset.UnixEpoch))])
    {
        Processes = [.. reply.Processes.Select(ToProcessObjects)],
        SilentNodes = [.. reply.SilentNodeIds.Select(n => Hex(n)!)],
    };

    private static ProcessObjects ToProcessObjects(Proto.ProcessReferences process)
    {
        Proto.HeldKindTotals Of(Proto.ObjectKind kind) => process.Kinds.FirstOrDefault(k => k.Kind == kind) ?? new Proto.HeldKindTotals();
        return new ProcessObjects(
            Hex(process.NodeId)!, process.Process, process.Pid, process.Driver, process.Answered,
            Of(Proto.ObjectKind.Inline).Objects, Of(Proto.ObjectKind.Inline).Bytes, Of(Proto.ObjectKind.Stored).Objects, Of(Proto.ObjectKind.Stored).Bytes,
            Of(Proto.ObjectKind.Pending).Objects, Of(Proto.ObjectKind.Borrowed).Objects, Of(Proto.ObjectKind.Borrowed).Bytes, Of(Proto.ObjectKind.Failed).Objects);
    }

    private static bool IsHeld(Proto.ObjectKind kind) => kind is not (Proto.ObjectKind.Unspecified or Proto.ObjectKind.Stored);

    private static string HeldLocation(Proto.ObjectKind kind) => kind switch
    {
        Proto.ObjectKind.Inline => "inline",
        Proto.ObjectKind.Pending => "pending",
        Proto.ObjectKind.Borrowed => "borrowed",
        Proto.ObjectKind.Failed => "failed",
        _ => "unknown",
    };

    private static string Location(Proto.ObjectLocation location) => location switch
    {
        Proto.ObjectLocation.InMemory => "memory",
        Proto.ObjectLocation.Spilled => "spilled",
        Proto.ObjectLocation.Writing => "writing",
        Proto.ObjectLocation.Spilling => "spilling",
        Proto.ObjectLocation.Restoring => "restoring",
        _ => "unknown",
    };

    private static TaskEntry ToEntry(Proto.TaskRecord task) => new(
        Hex(task.TaskId)!, Hex(task.JobId)!, task.Name, (ClusterTaskState)task.Status, task.Reason.Length == 0 ? null : task.Reason,
        task.ErrorType.Length == 0 ? null : task.ErrorType, task.Attempt, Hex(task.NodeId), task.WorkerPid, Hex(task.ActorId),
        Time(task.SubmittedUnixMicros) ?? DateTimeOffset.UnixEpoch, Time(task.StartedUnixMicros), Time(task.EndedUnixMicros));

    private static string? Hex(ByteString bytes) => bytes.IsEmpty ? null : Convert.ToHexStringLower(bytes.Span);

    private static DateTimeOffset? Time(long unixMicros) =>
        unixMicros == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(unixMicros * TimeSpan.TicksPerMicrosecond);
}
