using System.Buffers.Binary;
using Google.Protobuf;
using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>
/// Turns a node's <see cref="TaskEventBatch"/> into the <c>ReportTaskEvents</c> request: names,
/// wait reasons, error lines and times are worked out here, once a second, rather than when the
/// events happen.
/// </summary>
internal static class TaskEventReports
{
    public static Proto.ReportTaskEventsRequest ToRequest(ulong nodeId, TaskEventBatch batch)
    {
        var request = new Proto.ReportTaskEventsRequest { NodeId = NodeBytes(nodeId), DroppedEvents = batch.Dropped };
        // A task's name goes with its first event of the batch only: the table keeps the first name it hears.
        var named = new HashSet<TaskId>();
        foreach (var e in batch.Events)
        {
            request.Events.Add(ToMessage(e, batch, named));
        }

        foreach (var worker in batch.Workers)
        {
            request.Workers.Add(ToMessage(nodeId, worker));
        }

        if (batch.Store is { } store)
        {
            request.Store = StoreReports.ToMessage(store);
        }

        return request;
    }

    /// <summary>A task's or actor's id as the service stores it: its job's 16 bytes, then its path's 8, big-endian.</summary>
    public static ByteString TaskBytes(TaskId task)
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, task.Job.High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], task.Job.Low);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], task.Path);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>A node's id as the service stores it: 8 bytes, big-endian.</summary>
    public static ByteString NodeBytes(ulong node)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, node);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>The first line of an error message: what a listing shows.</summary>
    public static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }

    private static Proto.TaskEvent ToMessage(TaskEvent e, TaskEventBatch batch, HashSet<TaskId> named)
    {
        var nameIt = e.Subject is not null && named.Add(e.Task);
        var message = new Proto.TaskEvent
        {
            TaskId = TaskBytes(e.Task),
            Kind = (Proto.TaskEventKind)e.Kind,
            UnixMicros = UnixMicros(batch.Clock.TimeOf(e.Timestamp)),
            Attempt = e.Attempt,
            Worker = e.Worker,
            WorkerPid = e.Worker == 0 ? 0 : batch.Pids.GetValueOrDefault(e.Worker),
        };
        switch (e.Subject)
        {
            case TaskSpec spec:
                message.Name = nameIt ? spec.DisplayName : string.Empty;
                message.Reason = Reason(e.Kind, spec);
                break;
            case TaskWaitingForArgs waiting:
                message.Name = nameIt ? waiting.Name : string.Empty;
                message.Reason = WaitingReason(waiting);
                break;
            case ActorCall call:
                message.Name = nameIt ? call.Name ?? call.Method.DisplayName : string.Empty;
                message.ActorId = TaskBytes(call.Actor);
                message.Reason = e.Kind == TaskEventKind.Queued ? "waits for its actor to be placed on a worker" : string.Empty;
                break;
        }

        if (e.Error is { } error)
        {
            message.ErrorType = error.RemoteType ?? error.Kind.ToString();
            message.ErrorMessage = FirstLine(error.Message);
        }

        if (e.Peer != 0)
        {
            message.PeerNodeId = NodeBytes(e.Peer);
        }

        return message;
    }

    private static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static string Reason(TaskEventKind kind, TaskSpec spec) => kind switch
    {
        TaskEventKind.Queued => "waits for a free worker on its node",
        TaskEventKind.WaitingForResources => $"waits for resources running work holds: asks for {Resources.Describe(spec)}",
        TaskEventKind.Infeasible => $"no node of the cluster can run it: asks for {Resources.Describe(spec)}",
        _ => string.Empty,
    };

    /// <summary>"waits for 2 arguments: ID, ID": the first few ids the note names, and how many in all.</summary>
    public static string WaitingReason(TaskWaitingForArgs waiting)
    {
        var ids = string.Join(", ", waiting.WaitingFor.Select(id => id.ToString()));
        var more = waiting.Count > waiting.WaitingFor.Length ? $" and {waiting.Count - waiting.WaitingFor.Length} more" : string.Empty;
        return $"waits for {waiting.Count} argument{(waiting.Count == 1 ? "" : "s")} to be ready: {ids}{more}";
    }

    private static Proto.WorkerProcess ToMessage(ulong nodeId, WorkerSnapshot worker)
    {
        var message = new Proto.WorkerProcess
        {
            NodeId = NodeBytes(nodeId),
            Process = worker.Process,
            Pid = worker.Pid,
            Package = worker.Package ?? string.Empty,
            Actors = worker.Actors,
            State = worker.Tasks.Count > 0 ? "busy" : worker.Dedicated || worker.Actors > 0 ? "actor" : "idle",
        };
        foreach (var task in worker.Tasks)
        {
            message.CurrentTasks.Add(TaskBytes(task));
        }

        return message;
    }
}
