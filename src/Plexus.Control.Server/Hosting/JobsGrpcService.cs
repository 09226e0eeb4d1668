using Grpc.Core;
using Plexus.Control.Service;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The gRPC face of jobs submitted to the cluster (<c>PlexusJobs</c> in jobs.proto), handed to
/// <see cref="ControlService.Submissions"/> as they came; refusals become status codes in
/// <see cref="ControlErrorInterceptor"/>, and <see cref="ClusterTokenMiddleware"/> has checked the token before.
/// </summary>
internal sealed class JobsGrpcService(ControlService service) : Proto.PlexusJobs.PlexusJobsBase
{
    public override Task<Proto.SubmitJobReply> SubmitJob(Proto.SubmitJobRequest request, ServerCallContext context) =>
        service.Submissions.SubmitAsync(request, context.CancellationToken);

    public override Task<Proto.ListSubmittedJobsReply> ListSubmittedJobs(Proto.ListSubmittedJobsRequest request, ServerCallContext context) =>
        Task.FromResult(service.Submissions.List());

    public override async Task GetJobLogs(Proto.GetJobLogsRequest request, IServerStreamWriter<Proto.JobLogChunk> responseStream, ServerCallContext context)
    {
        await foreach (var chunk in service.Submissions.ReadLogsAsync(request, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<Proto.StopJobReply> StopJob(Proto.StopJobRequest request, ServerCallContext context) =>
        service.Submissions.StopAsync(request, context.CancellationToken);

    public override Task<Proto.AppendJobOutputReply> AppendJobOutput(Proto.AppendJobOutputRequest request, ServerCallContext context) =>
        service.Submissions.AppendOutputAsync(request, context.CancellationToken);

    public override Task<Proto.ReportJobExitReply> ReportJobExit(Proto.ReportJobExitRequest request, ServerCallContext context) =>
        service.Submissions.ReportExitAsync(request, context.CancellationToken);
}
