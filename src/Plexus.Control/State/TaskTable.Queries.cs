using System.Globalization;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>The task table's queries: listings a page at a time, summaries, a job's timeline.</summary>
internal sealed partial class TaskTable
{
    /// <summary>The name the table knows <paramref name="task"/> by; null when it holds no named record of it (never reported, or forgotten).</summary>
    public string? NameOf(TaskKey task)
    {
        lock (_lock)
        {
            return _slotOf.TryGetValue(task, out var slot) && _slots[slot].Name != TaskNames.None ? _names[_slots[slot].Name] : null;
        }
    }

    /// <summary>
    /// The tasks matching the request's filters, in listing order, from after its page token;
    /// with how many match in all and the token of the next page (empty after the last).
    /// </summary>
    /// <remarks>
    /// Filters are checked task by task along the listing order: a page walks until it is full. The
    /// total comes from the counts by job, function and status; with a node filter it walks every
    /// task (tens of milliseconds for a million), which the table pays only when asked rather than
    /// with every step of every task.
    /// </remarks>
    /// <exception cref="ArgumentException">A filter, the limit or the page token is malformed (the message names it).</exception>
    public Proto.ListTasksReply List(Proto.ListTasksRequest request)
    {
        var job = request.JobId.IsEmpty ? (JobId?)null : JobKeys.Parse(request.JobId, "job_id");
        var node = request.NodeId.IsEmpty ? (ulong?)null : NodeKeys.Parse(request.NodeId, "node_id");
        var status = request.Status == Proto.TaskStatus.Unspecified ? (Proto.TaskStatus?)null : request.Status;
        var limit = request.Limit == 0 ? DefaultLimit : request.Limit;
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {MaxLimit}; it is {request.Limit}.");
        }

        var after = ParsePageToken(request.PageToken);
        lock (_lock)
        {
            var reply = new Proto.ListTasksReply { Evicted = Evicted, DroppedEvents = DroppedEvents };
            var filter = new TaskFilter(job, status, node, request.Name.Length == 0 ? null : _names.Find(request.Name) ?? -1);
            var entries = _order.Entries;
            reply.Total = Total(entries, filter);
            var last = -1;
            for (var i = _order.FirstAfter(after); i < entries.Length; i++)
            {
                if (!TaskOrder.IsCurrent(entries[i], _slots) || !filter.Matches(_slots[entries[i].Slot]))
                {
                    continue;
                }

                if (reply.Tasks.Count == limit)
                {
                    reply.NextPageToken = PageToken(_slots[last]);
                    break;
                }

                reply.Tasks.Add(ToMessage(_slots[entries[i].Slot]));
                last = entries[i].Slot;
            }

            return reply;
        }
    }

    // From the counts the table keeps when they answer (no node filter); else by walking every task.
    private long Total(ReadOnlySpan<TaskOrder.Entry> entries, TaskFilter filter)
    {
        if (filter.Node is not null)
        {
            return CountMatches(entries, filter);
        }

        var counts = filter.Job is { } job ? _countsByJob.GetValueOrDefault(job) : _counts;
        return counts?.Count(filter.Name, filter.Status) ?? 0;
    }

    private int CountMatches(ReadOnlySpan<TaskOrder.Entry> entries, TaskFilter filter)
    {
        var count = 0;
        foreach (ref readonly var entry in entries)
        {
            if (TaskOrder.IsCurrent(entry, _slots) && filter.Matches(_slots[entry.Slot]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Counts of tasks by function name and status: of one job, or of all when <paramref name="job"/> is null.</summary>
    public Proto.SummarizeTasksReply Summarize(JobId? job)
    {
        lock (_lock)
        {
            var reply = new Proto.SummarizeTasksReply();
            var counts = job is { } j ? _countsByJob.GetValueOrDefault(j) : _counts;
            if (counts is not null)
            {
                reply.Functions.AddRange(counts.Summary(_names));
            }

            return reply;
        }
    }

    /// <summary>A job's tasks as spans, in listing order: queued, started and ended times, node and worker.</summary>
    public Proto.GetTimelineReply Timeline(JobId job)
    {
        lock (_lock)
        {
            var reply = new Proto.GetTimelineReply();
            if (!_countsByJob.ContainsKey(job))
            {
                return reply; // No task of the job held: no walk.
            }

            foreach (ref readonly var entry in _order.Entries)
            {
                ref readonly var task = ref _slots[entry.Slot];
                if (!TaskOrder.IsCurrent(entry, _slots) || task.Id.Job != job)
                {
                    continue;
                }

                reply.Spans.Add(new Proto.TaskSpan
                {
                    TaskId = task.Id.ToBytes(),
                    Name = _names[task.Name],
                    Status = task.Status,
                    Attempt = task.Attempt,
                    NodeId = NodeKeys.ToBytes(task.Node),
                    WorkerPid = task.WorkerPid,
                    ActorId = task.Actor?.ToBytes() ?? Google.Protobuf.ByteString.Empty,
                    SubmittedUnixMicros = task.SubmittedMicros != 0 ? task.SubmittedMicros : task.OrderTime,
                    // A task seen ending but never starting (its start was in a dropped report) starts where it was handed out.
                    StartedUnixMicros = task.StartedMicros != 0 ? task.StartedMicros : task.DispatchedMicros,
                    EndedUnixMicros = task.EndedMicros,
                });
            }

            return reply;
        }
    }

    private Proto.TaskRecord ToMessage(in TaskSlot task) => new()
    {
        TaskId = task.Id.ToBytes(),
        JobId = JobKeys.ToBytes(task.Id.Job),
        Name = _names[task.Name],
        Status = task.Status,
        Reason = _texts[task.Reason],
        ErrorType = _texts[task.ErrorType],
        Attempt = task.Attempt,
        NodeId = NodeKeys.ToBytes(task.Node),
        WorkerPid = task.WorkerPid,
        ActorId = task.Actor?.ToBytes() ?? Google.Protobuf.ByteString.Empty,
        SubmittedUnixMicros = task.SubmittedMicros != 0 ? task.SubmittedMicros : task.OrderTime,
        StartedUnixMicros = task.StartedMicros,
        EndedUnixMicros = task.EndedMicros,
    };

    // The position of the last task of a page: the next page starts after it, wherever tasks were added meanwhile.
    private static string PageToken(in TaskSlot last) =>
        string.Create(CultureInfo.InvariantCulture, $"{last.OrderTime}.{last.Sequence}");

    private static (long Time, long Sequence)? ParsePageToken(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0
            && long.TryParse(token.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            && long.TryParse(token.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return (time, sequence);
        }

        throw new ArgumentException($"page_token '{token}' is not one this service gave: pass the next_page_token of an earlier reply, or none for the first page.");
    }
}
