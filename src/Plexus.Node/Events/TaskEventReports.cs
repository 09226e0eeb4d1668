using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Plexus.Protocol.Messages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>
/// Turns a node's <see cref="TaskEventBatch"/> into <c>ReportTaskEvents</c> requests: names,
/// wait reasons, error lines and times are worked out here, once a second, rather than when the
/// events happen, and a task's consecutive steps in a request are folded into one event
/// (<see cref="FoldedSteps"/>).
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
    /// <param name="nodeId">The reporting node.</param>
    /// <param name="batch">What it took to report.</param>
    /// <param name="open">
    /// Where each task's event in the request being made is kept while later steps may fold into it: a dictionary of a
    /// request's size (a large-object array) that a node's reports share rather than each making one; a new one when null.
    /// </param>
    /// <param name="eventsPerRequest">The most events one request carries.</param>
    public static IEnumerable<Proto.ReportTaskEventsRequest> ToRequests(
        ulong nodeId, TaskEventBatch batch, Dictionary<TaskId, OpenEvent>? open = null, int eventsPerRequest = EventsPerRequest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerRequest, 1);
        var node = NodeBytes(nodeId);
        var workers = batch.Workers.Select(w => ToMessage(node, w)).ToArray();
        // Each function's readable name, worked out once a batch rather than once a task. By reference:
        // the recorder holds one descriptor per function (EventSubjects), and a hash of its strings
        // would cost more than the name.
        var names = new Dictionary<FunctionDescriptor, string>(ReferenceEqualityComparer.Instance);
        open ??= new Dictionary<TaskId, OpenEvent>(Math.Min(eventsPerRequest, batch.Events.Count));
        var from = 0;
        do
        {
            var events = batch.Events.Slice(from, Math.Min(eventsPerRequest, batch.Events.Count - from));
            from += events.Count;
            var request = new Proto.ReportTaskEventsRequest { NodeId = node, DroppedEvents = batch.Dropped };
            AddFolded(request, events, batch, open, names);
            request.Workers.AddRange(workers);
            if (from == batch.Events.Count && batch.Store is { } store)
            {
                request.Store = StoreReports.ToMessage(store);
            }

            yield return request;
        }
        while (from < batch.Events.Count);
    }

    // Adds a part's events to its request, each task's consecutive steps folded into one event; leaves open empty, so it
    // keeps no message alive until the next report (a second is long enough to promote them into the older generations).
    private static void AddFolded(
        Proto.ReportTaskEventsRequest request, ArraySegment<TaskEvent> events, TaskEventBatch batch, Dictionary<TaskId, OpenEvent> open,
        Dictionary<FunctionDescriptor, string> names)
    {
        foreach (var e in events)
        {
            ref var task = ref CollectionsMarshal.GetValueRefOrAddDefault(open, e.Task, out var seen);
            if (!seen || !FoldedSteps.TryFold(task.Message, e))
            {
                task.Message = new Proto.TaskEvent { TaskId = TaskBytes(e.Task), Attempt = e.Attempt };
                request.Events.Add(task.Message);
            }

            if (!task.Named && e.Subject is not null)
            {
                task.Message.Name = NameOf(e.Subject, names);
                task.Named = true;
            }

            SetStep(task.Message, e, batch);
        }

        open.Clear();
    }

    /// <summary>
    /// A task's event in the request being made, while later steps may fold into it (<see cref="FoldedSteps"/>), and
    /// whether the request has named the task: its name goes with its first step that has one (the table keeps the
    /// first name it hears), so a part applied alone still names it.
    /// </summary>
    internal struct OpenEvent
    {
        public Proto.TaskEvent Message;
        public bool Named;
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

    // Writes e as the message's own step (over a step it folded, if any): its kind, time and words.
    private static void SetStep(Proto.TaskEvent message, in TaskEvent e, TaskEventBatch batch)
    {
        message.Kind = (Proto.TaskEventKind)e.Kind;
        message.UnixMicros = UnixMicros(batch.Recorder.TimeOf(e.Timestamp));
        if (e.Worker != 0)
        {
            message.Worker = e.Worker;
            message.WorkerPid = batch.Pids.GetValueOrDefault(e.Worker);
        }

        message.Reason = e.Subject switch
        {
            TaskSpec spec => Reason(e.Kind, spec),
            TaskWaitingForArgs waiting => WaitingReason(waiting),
            _ when e.Kind == TaskEventKind.Queued => e.Actor == default ? "waits for a free worker on its node" : "waits for its actor to be placed on a worker",
            _ => string.Empty,
        };
        if (e.Actor != default && message.ActorId.IsEmpty)
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
    }

    private static string NameOf(object subject, Dictionary<FunctionDescriptor, string> names) => subject switch
    {
        string name => name,
        FunctionDescriptor function => ReadableName(function, names),
        TaskSpec spec => spec.DisplayName,
        TaskWaitingForArgs waiting => waiting.Name,
        _ => string.Empty,
    };

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
