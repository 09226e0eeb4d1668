using Grpc.Core;
using Plexus.Control.Service;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The gRPC face of the state API (<c>PlexusState</c>): each call is handed to the
/// <see cref="ControlService"/> as it came, refused and counted as the control service's calls are.
/// </summary>
internal sealed class StateGrpcService(ControlService service) : Proto.PlexusState.PlexusStateBase
{
    public override Task<Proto.ReportTaskEventsReply> ReportTaskEvents(Proto.ReportTaskEventsRequest request, ServerCallContext context) =>
        Task.FromResult(service.ReportTaskEvents(request));

    public override Task<Proto.ListTasksReply> ListTasks(Proto.ListTasksRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListTasks(request));

    public override Task<Proto.SummarizeTasksReply> SummarizeTasks(Proto.SummarizeTasksRequest request, ServerCallContext context) =>
        Task.FromResult(service.SummarizeTasks(request));

    public override Task<Proto.ListWorkersReply> ListWorkers(Proto.ListWorkersRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListWorkers(request));

    public override Task<Proto.ListActorsReply> ListActors(Proto.ListActorsRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListActors(request));

    public override Task<Proto.GetTimelineReply> GetTimeline(Proto.GetTimelineRequest request, ServerCallContext context) =>
        Task.FromResult(service.GetTimeline(request));

    public override Task<Proto.ListObjectsReply> ListObjects(Proto.ListObjectsRequest request, ServerCallContext context) =>
        service.ListObjectsAsync(request, context.CancellationToken);

    public override Task<Proto.GetMemoryReportReply> GetMemoryReport(Proto.GetMemoryReportRequest request, ServerCallContext context) =>
        service.GetMemoryReportAsync(request, context.CancellationToken);

    public override Task<Proto.ReadNodeLogReply> ReadNodeLog(Proto.ReadNodeLogRequest request, ServerCallContext context) =>
        service.ReadNodeLogAsync(request, context.CancellationToken);

    public override Task<Proto.TakeNodeRequestsReply> TakeNodeRequests(Proto.TakeNodeRequestsRequest request, ServerCallContext context) =>
        service.TakeNodeRequestsAsync(request, context.CancellationToken);

    public override Task<Proto.AnswerNodeRequestReply> AnswerNodeRequest(Proto.AnswerNodeRequestRequest request, ServerCallContext context) =>
        Task.FromResult(service.AnswerNodeRequest(request));
}
