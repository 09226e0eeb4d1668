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
            return _tasks.TryGetValue(task, out var record) && record.Name.Length > 0 ? record.Name : null;
        }
    }

    /// <summary>
    /// The tasks matching the request's filters, in listing order, from after its page token;
    /// with how many match in all and the token of the next page (empty after the last).
    /// </summary>
    /// <exception cref="ArgumentException">A filter, the limit or the page token is malformed (the message names it).</exception>
    public Proto.ListTasksReply List(Proto.ListTasksRequest request)
    {
        var job = request.JobId.IsEmpty ? (JobId?)null : JobKeys.Parse(request.JobId, "job_id");
        var node = request.NodeId.IsEmpty ? (ulong?)null : NodeKeys.Parse(request.NodeId, "node_id");
        var status = request.Status == Proto.TaskStatus.Unspecified ? (Proto.TaskStatus?)null : request.Status;
        var name = request.Name.Length == 0 ? null : request.Name;
        var limit = request.Limit == 0 ? DefaultLimit : request.Limit;
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {MaxLimit}; it is {request.Limit}.");
        }

        var after = ParsePageToken(request.PageToken);
        lock (_lock)
        {
            var reply = new Proto.ListTasksReply { Evicted = Evicted, DroppedEvents = DroppedEvents };
            // The smallest index that one filter picks: the others are checked task by task.
            var candidates = new List<(TaskIndex Index, int Count)> { (_all, _all.Count) };
            if (job is { } j)
            {
                candidates.Add(Existing(_byJob, j));
            }

            if (status is { } s)
            {
                candidates.Add(Existing(_byStatus, s));
            }

            if (node is { } n)
            {
                candidates.Add(Existing(_byNode, n));
            }

            if (name is not null)
            {
                candidates.Add(Existing(_byName, name));
            }

            var filters = candidates.Count - 1;
            var index = candidates.MinBy(c => c.Count).Index;
            bool Matches(TaskRecord r) =>
                (job is null || r.Id.Job == job) && (status is null || r.Status == status) && (node is null || r.Node == node) && (name is null || r.Name == name);

            reply.Total = filters <= 1 ? candidates.Min(c => c.Count) : index.After(null).Count(Matches);
            TaskRecord? last = null;
            foreach (var record in index.After(after))
            {
                if (!Matches(record))
                {
                    continue;
                }

                if (reply.Tasks.Count == limit)
                {
                    reply.NextPageToken = PageToken(last!);
                    break;
                }

                reply.Tasks.Add(ToMessage(record));
                last = record;
            }

            return reply;
        }
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
                reply.Functions.AddRange(counts.Summary());
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
            if (_byJob.TryGetValue(job, out var tasks))
            {
                foreach (var record in tasks.After(null))
                {
                    reply.Spans.Add(new Proto.TaskSpan
                    {
                        TaskId = record.Id.ToBytes(),
                        Name = record.Name,
                        Status = record.Status,
                        Attempt = record.Attempt,
                        NodeId = NodeKeys.ToBytes(record.Node),
                        WorkerPid = record.WorkerPid,
                        ActorId = record.Actor?.ToBytes() ?? Google.Protobuf.ByteString.Empty,
                        SubmittedUnixMicros = record.SubmittedMicros != 0 ? record.SubmittedMicros : record.OrderTime,
                        // A task seen ending but never starting (its start was in a dropped report) starts where it was handed out.
                        StartedUnixMicros = record.StartedMicros != 0 ? record.StartedMicros : record.DispatchedMicros,
                        EndedUnixMicros = record.EndedMicros,
                    });
                }
            }

            return reply;
        }
    }

    private static (TaskIndex Index, int Count) Existing<TKey>(Dictionary<TKey, TaskIndex> indexes, TKey key)
        where TKey : notnull =>
        indexes.TryGetValue(key, out var index) ? (index, index.Count) : (Empty, 0);

    // What a filter matching nothing walks.
    private static readonly TaskIndex Empty = new(TaskIndexKind.Order);

    private static Proto.TaskRecord ToMessage(TaskRecord record) => new()
    {
        TaskId = record.Id.ToBytes(),
        JobId = JobKeys.ToBytes(record.Id.Job),
        Name = record.Name,
        Status = record.Status,
        Reason = record.Reason,
        ErrorType = record.ErrorType,
        Attempt = record.Attempt,
        NodeId = NodeKeys.ToBytes(record.Node),
        WorkerPid = record.WorkerPid,
        ActorId = record.Actor?.ToBytes() ?? Google.Protobuf.ByteString.Empty,
        SubmittedUnixMicros = record.SubmittedMicros != 0 ? record.SubmittedMicros : record.OrderTime,
        StartedUnixMicros = record.StartedMicros,
        EndedUnixMicros = record.EndedMicros,
    };

    // The position of the last task of a page: the next page starts after it, wherever tasks were added meanwhile.
    private static string PageToken(TaskRecord last) =>
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
