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
    // How long a refused upload's remaining chunks are read before the refusal is sent regardless.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    public override Task<Proto.RegisterNodeReply> RegisterNode(Proto.RegisterNodeRequest request, ServerCallContext context) =>
        service.RegisterNodeAsync(request, context.CancellationToken);

    public override Task<Proto.HeartbeatReply> Heartbeat(Proto.HeartbeatRequest request, ServerCallContext context) =>
        service.HeartbeatAsync(request, context.CancellationToken);

    public override Task<Proto.UnregisterNodeReply> UnregisterNode(Proto.UnregisterNodeRequest request, ServerCallContext context) =>
        service.UnregisterNodeAsync(request, context.CancellationToken);

    public override Task<Proto.ListNodesReply> ListNodes(Proto.ListNodesRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListNodes());

    public override Task<Proto.RegisterJobReply> RegisterJob(Proto.RegisterJobRequest request, ServerCallContext context) =>
        service.RegisterJobAsync(request, context.CancellationToken);

    public override Task<Proto.FinishJobReply> FinishJob(Proto.FinishJobRequest request, ServerCallContext context) =>
        service.FinishJobAsync(request, context.CancellationToken);

    public override Task<Proto.ListJobsReply> ListJobs(Proto.ListJobsRequest request, ServerCallContext context) =>
        Task.FromResult(service.ListJobs(request));

    public override Task<Proto.RegisterActorReply> RegisterActor(Proto.RegisterActorRequest request, ServerCallContext context) =>
        service.RegisterActorAsync(request, context.CancellationToken);

    public override Task<Proto.LookupActorReply> LookupActor(Proto.LookupActorRequest request, ServerCallContext context) =>
        Task.FromResult(service.LookupActor(request));

    public override Task<Proto.EndActorReply> EndActor(Proto.EndActorRequest request, ServerCallContext context) =>
        service.EndActorAsync(request, context.CancellationToken);

    public override Task<Proto.ActorDecision> ReportActorFailure(Proto.ActorFailure request, ServerCallContext context) =>
        service.ReportActorFailureAsync(request, context.CancellationToken);

    public override Task<Proto.PutActorCheckpointReply> PutActorCheckpoint(Proto.ActorCheckpoint request, ServerCallContext context) =>
        service.PutActorCheckpointAsync(request, context.CancellationToken);

    public override Task<Proto.MissingBlobsReply> MissingBlobs(Proto.MissingBlobsRequest request, ServerCallContext context) =>
        Task.FromResult(service.Packages.MissingBlobs(request));

    public override async Task<Proto.UploadBlobReply> UploadBlob(IAsyncStreamReader<Proto.BlobChunk> requestStream, ServerCallContext context)
    {
        try
        {
            return await service.Packages.UploadBlobAsync(requestStream.ReadAllAsync(context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Refused midway: what the client still sends is read and dropped (for a while) before the
            // answer ends the call. Answering first leaves its next frames on a closed stream, which
            // the server takes for a protocol error of the whole connection, failing the client's other calls.
            await DrainAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DrainAsync(IAsyncStreamReader<Proto.BlobChunk> requestStream, CancellationToken callEnded)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(callEnded);
        bounded.CancelAfter(DrainLimit);
        try
        {
            while (await requestStream.MoveNext(bounded.Token).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            // The client stopped, went away, or sends for longer than the limit: the refusal goes now.
        }
    }

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
