using System.Buffers.Binary;
using Google.Protobuf;
using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>
/// Turns a node's <see cref="TaskEventBatch"/> into <c>ReportTaskEvents</c> requests: names,
/// wait reasons, error lines and times are worked out here, once a second, rather than when the
/// events happen.
/// </summary>
/// <remarks>
/// A batch is reported in parts of at most <see cref="EventsPerRequest"/> events, each made as the
/// one before has been sent: a request of a full ring would be tens of thousands of messages alive
/// at once while it is built, sent and applied, long enough for the runtime's young collections to
/// find them live and copy them into the older generations; a part lives for a moment only.
/// </remarks>
internal static class TaskEventReports
{
    /// <summary>The most events one request carries.</summary>
    public const int EventsPerRequest = 2048;

    /// <summary>
    /// The requests that report <paramref name="batch"/>, in order, each made when enumerated:
    /// every one carries the node's workers (a request replaces them) and its count of dropped
    /// events (a total, so repeating it adds nothing); the last carries the store. One request when
    /// there are no more events than fit one.
    /// </summary>
    public static IEnumerable<Proto.ReportTaskEventsRequest> ToRequests(ulong nodeId, TaskEventBatch batch, int eventsPerRequest = EventsPerRequest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerRequest, 1);
        var node = NodeBytes(nodeId);
        var workers = batch.Workers.Select(w => ToMessage(node, w)).ToArray();
        // Each function's readable name, worked out once a batch rather than once a task. By reference:
        // the recorder holds one descriptor per function (EventSubjects), and a hash of its strings
        // would cost more than the name.
        var names = new Dictionary<FunctionDescriptor, string>(ReferenceEqualityComparer.Instance);
        // The tasks named in the request being made: a task's name goes with its first event of a request
        // only (the table keeps the first name it hears). One set for the batch, sized for a request once:
        // grown a request at a time, it would be a large-object array each.
        var named = new HashSet<TaskId>(Math.Min(eventsPerRequest, batch.Events.Count));
        // The id message of the last event's task: a task run one at a time has its steps one after another
        // (submitted, queued, dispatched, started, finished), which share one (a ByteString is immutable).
        var lastTask = default(TaskId);
        ByteString? lastTaskBytes = null;
        var from = 0;
        do
        {
            var events = batch.Events.Slice(from, Math.Min(eventsPerRequest, batch.Events.Count - from));
            from += events.Count;
            var request = new Proto.ReportTaskEventsRequest { NodeId = node, DroppedEvents = batch.Dropped };
            named.Clear();
            foreach (var e in events)
            {
                if (lastTaskBytes is null || e.Task != lastTask)
                {
                    lastTask = e.Task;
                    lastTaskBytes = TaskBytes(e.Task);
                }

                request.Events.Add(ToMessage(e, lastTaskBytes, batch, named, names));
            }

            request.Workers.AddRange(workers);
            if (from == batch.Events.Count && batch.Store is { } store)
            {
                request.Store = StoreReports.ToMessage(store);
            }

            yield return request;
        }
        while (from < batch.Events.Count);
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

    private static Proto.TaskEvent ToMessage(
        TaskEvent e, ByteString taskBytes, TaskEventBatch batch, HashSet<TaskId> named, Dictionary<FunctionDescriptor, string> names)
    {
        var message = new Proto.TaskEvent
        {
            TaskId = taskBytes,
            Kind = (Proto.TaskEventKind)e.Kind,
            UnixMicros = UnixMicros(batch.Recorder.TimeOf(e.Timestamp)),
            Attempt = e.Attempt,
            Worker = e.Worker,
            WorkerPid = e.Worker == 0 ? 0 : batch.Pids.GetValueOrDefault(e.Worker),
        };
        if (e.Subject is not null && named.Add(e.Task))
        {
            message.Name = e.Subject switch
            {
                string name => name,
                FunctionDescriptor function => ReadableName(function, names),
                TaskSpec spec => spec.DisplayName,
                TaskWaitingForArgs waiting => waiting.Name,
                _ => string.Empty,
            };
        }

        message.Reason = e.Subject switch
        {
            TaskSpec spec => Reason(e.Kind, spec),
            TaskWaitingForArgs waiting => WaitingReason(waiting),
            _ when e.Kind == TaskEventKind.Queued => e.Actor == default ? "waits for a free worker on its node" : "waits for its actor to be placed on a worker",
            _ => string.Empty,
        };
        if (e.Actor != default)
        {
            message.ActorId = TaskBytes(e.Actor);
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

    private static string ReadableName(FunctionDescriptor function, Dictionary<FunctionDescriptor, string> names)
    {
        if (!names.TryGetValue(function, out var name))
        {
            name = function.DisplayName;
            names[function] = name;
        }

        return name;
    }

    private static string Reason(TaskEventKind kind, TaskSpec spec) => kind switch
    {
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

    private static Proto.WorkerProcess ToMessage(ByteString node, WorkerSnapshot worker)
    {
        var message = new Proto.WorkerProcess
        {
            NodeId = node,
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
