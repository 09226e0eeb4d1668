using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>
/// The state API (<c>PlexusState</c> in state.proto): nodes report their task events and workers;
/// the task table, the workers and the actor table answer queries. Queries are synchronous and
/// read memory only, so the head's dashboard can call them in-process as the gRPC service does.
/// </summary>
internal sealed partial class ControlService
{
    /// <summary>The tasks and actor calls the nodes reported, bounded by <see cref="ControlServiceSettings.FinishedTasksKept"/>.</summary>
    internal TaskTable Tasks { get; }

    /// <summary>Each node's worker processes at its latest report.</summary>
    internal WorkerTable Workers { get; } = new();

    // By node: the events it reported dropped since it started, as of its latest report.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, long> _droppedEvents = new();

    public Proto.ReportTaskEventsReply ReportTaskEvents(Proto.ReportTaskEventsRequest request)
    {
        RequestValidation.Id(request.NodeId, "node_id");
        var node = NodeKeys.Parse(request.NodeId, "node_id");
        if (request.Store is { } store)
        {
            StoreReportValidation.Check(store);
        }

        if (request.DroppedEvents < 0)
        {
            throw new ArgumentException($"dropped_events must be 0 or more; it is {request.DroppedEvents}.");
        }

        // The node reports its drops since it started: the table adds what is new since its last report.
        long before = 0;
        _droppedEvents.AddOrUpdate(node, request.DroppedEvents, (_, seen) =>
        {
            before = seen;
            return Math.Max(seen, request.DroppedEvents);
        });
        Tasks.Report(node, request.Events, Math.Max(0, request.DroppedEvents - before));
        if (_membership.IsAlive(request.NodeId))
        {
            Workers.Report(node, request.Workers);
            if (request.Store is { } reported)
            {
                StoreObjects.Report(node, reported);
            }
        }

        return new Proto.ReportTaskEventsReply();
    }

    public Proto.ListTasksReply ListTasks(Proto.ListTasksRequest request) => Tasks.List(request);

    public Proto.SummarizeTasksReply SummarizeTasks(Proto.SummarizeTasksRequest request) =>
        Tasks.Summarize(request.JobId.IsEmpty ? null : JobKeys.Parse(request.JobId, "job_id"));

    public Proto.ListWorkersReply ListWorkers(Proto.ListWorkersRequest request) =>
        Workers.List(request.NodeId.IsEmpty ? null : NodeKeys.Parse(request.NodeId, "node_id"));

    public Proto.GetTimelineReply GetTimeline(Proto.GetTimelineRequest request) => Tasks.Timeline(JobKeys.Parse(request.JobId, "job_id"));

    /// <summary>The actor table's actors matching the filters (any when unset), live ones first, then by id; at most <c>limit</c> (default 100).</summary>
    public Proto.ListActorsReply ListActors(Proto.ListActorsRequest request)
    {
        if (!request.JobId.IsEmpty)
        {
            JobKeys.Parse(request.JobId, "job_id");
        }

        if (!request.NodeId.IsEmpty)
        {
            NodeKeys.Parse(request.NodeId, "node_id");
        }

        var limit = request.Limit == 0 ? TaskTable.DefaultLimit : request.Limit;
        if (limit is < 1 or > TaskTable.MaxLimit)
        {
            throw new ArgumentException($"limit must be between 1 and {TaskTable.MaxLimit}; it is {request.Limit}.");
        }

        var matching = _actors.List()
            .Where(a => (request.State == Proto.ActorState.Unspecified || a.State == request.State)
                && (request.JobId.IsEmpty || a.JobId == request.JobId)
                && (request.NodeId.IsEmpty || a.NodeId == request.NodeId))
            .OrderBy(a => a.State == Proto.ActorState.Dead)
            .ThenBy(a => Convert.ToHexStringLower(a.ActorId.Span), StringComparer.Ordinal)
            .ToList();
        var reply = new Proto.ListActorsReply { Total = matching.Count };
        reply.Actors.AddRange(matching.Take(limit));
        return reply;
    }
}
