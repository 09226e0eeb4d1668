using Grpc.Core;
using Plexus.Control.Service;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The gRPC face of the <see cref="ControlService"/>: each call is handed over as it came. The
/// service validates and refuses; <see cref="ControlErrorInterceptor"/> turns its refusals into
/// status codes, and <see cref="ClusterTokenMiddleware"/> has checked the token before.
/// </summary>
internal sealed class ControlGrpcService(ControlService service) : Proto.ControlService.ControlServiceBase
{
    public override Task<Proto.RegisterNodeReply> RegisterNode(Proto.RegisterNodeRequest request, ServerCallContext context) =>
        service.RegisterNodeAsync(request, context.CancellationToken);

    public override Task<Proto.HeartbeatReply> Heartbeat(Proto.HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(service.Heartbeat(request));

    public override Task<Proto.UnregisterNodeReply> UnregisterNode(Proto.UnregisterNodeRequest request, ServerCallContext context) =>
        service.UnregisterNodeAsync(request, context.CancellationToken);

    public override Task<Proto.ListNodesReply> ListNodes(Proto.ListNodesRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListNodes());

    public override Task<Proto.RegisterJobReply> RegisterJob(Proto.RegisterJobRequest request, ServerCallContext context) =>
        service.RegisterJobAsync(request, context.CancellationToken);

    public override Task<Proto.FinishJobReply> FinishJob(Proto.FinishJobRequest request, ServerCallContext context) =>
        service.FinishJobAsync(request, context.CancellationToken);

    public override Task<Proto.ListJobsReply> ListJobs(Proto.ListJobsRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListJobs());

    public override Task<Proto.RegisterActorReply> RegisterActor(Proto.RegisterActorRequest request, ServerCallContext context) =>
        service.RegisterActorAsync(request, context.CancellationToken);

    public override Task<Proto.LookupActorReply> LookupActor(Proto.LookupActorRequest request, ServerCallContext context) =>
        Task.FromResult(service.LookupActor(request));

    public override Task<Proto.EndActorReply> EndActor(Proto.EndActorRequest request, ServerCallContext context) =>
        service.EndActorAsync(request, context.CancellationToken);

    public override Task<Proto.MissingBlobsReply> MissingBlobs(Proto.MissingBlobsRequest request, ServerCallContext context) =>
        Task.FromResult(service.Packages.MissingBlobs(request));

    public override Task<Proto.UploadBlobReply> UploadBlob(IAsyncStreamReader<Proto.BlobChunk> requestStream, ServerCallContext context) =>
        service.Packages.UploadBlobAsync(requestStream.ReadAllAsync(context.CancellationToken), context.CancellationToken);

    public override Task<Proto.RegisterPackageReply> RegisterPackage(Proto.RegisterPackageRequest request, ServerCallContext context) =>
        service.Packages.RegisterPackageAsync(request, context.CancellationToken);

    public override Task<Proto.GetPackageManifestReply> GetPackageManifest(Proto.GetPackageManifestRequest request, ServerCallContext context) =>
        service.Packages.GetPackageManifestAsync(request, context.CancellationToken);

    public override async Task DownloadBlob(Proto.DownloadBlobRequest request, IServerStreamWriter<Proto.BlobChunk> responseStream, ServerCallContext context)
    {
        await foreach (var chunk in service.Packages.DownloadBlob(request, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
