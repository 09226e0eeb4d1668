using Plexus.Control.Heartbeats;
using Plexus.Control.Packages;
using Plexus.Control.Service;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>
/// A client of a <see cref="ControlService"/> running in this process: the same requests and
/// answers as <see cref="ControlClient"/>, handed over by a method call instead of gRPC, so an
/// embedded cluster needs no server, port or token. It does not own the service: disposing the
/// client leaves the service running.
/// </summary>
internal sealed class InProcessControlClient : IControlClient
{
    private readonly ControlService _service;

    // What RunHeartbeatLoopAsync sends again when the service has forgotten a node.
    private readonly AcceptedRegistrations _registrations = new();

    public InProcessControlClient(ControlService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
    }

    /// <inheritdoc />
    public string? ServiceIncarnation { get; private set; }

    public async Task<NodeRegistration> RegisterNodeAsync(
        byte[] nodeId, string address, IReadOnlyDictionary<string, double> resources, int pid, ulong incarnation = 0, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.RegisterNode(nodeId, address, resources, pid, incarnation);
        var reply = await _service.RegisterNodeAsync(request, cancellationToken).ConfigureAwait(false);
        var registration = ControlMessages.ToNodeRegistration(reply);
        _registrations.Record(request, registration);
        return registration;
    }

    public async Task<bool> HeartbeatAsync(byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage = null, CancellationToken cancellationToken = default) =>
        (await HeartbeatAsync(nodeId, resourceUsage, infeasible: null, unreachablePeers: null, cancellationToken).ConfigureAwait(false)).Known;

    public async Task<HeartbeatAnswer> HeartbeatAsync(
        byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage, IReadOnlyList<string>? infeasible, IReadOnlyList<byte[]>? unreachablePeers, CancellationToken cancellationToken)
    {
        var reply = await _service.HeartbeatAsync(ControlMessages.Heartbeat(nodeId, resourceUsage, infeasible, unreachablePeers), cancellationToken).ConfigureAwait(false);
        ServiceIncarnation = ControlMessages.Incarnation(reply);
        return ControlMessages.ToHeartbeatAnswer(reply);
    }

    public async Task<bool> UnregisterNodeAsync(byte[] nodeId, CancellationToken cancellationToken = default)
    {
        var reply = await _service.UnregisterNodeAsync(ControlMessages.UnregisterNode(nodeId), cancellationToken).ConfigureAwait(false);
        return reply.Found;
    }

    public Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        Answer(() => ControlMessages.ToNodeInfos(_service.ListNodes()), cancellationToken);

    public async Task RegisterJobAsync(byte[] jobId, int driverPid, string @namespace, string entry, CancellationToken cancellationToken = default, string? submissionId = null) =>
        await _service.RegisterJobAsync(ControlMessages.RegisterJob(jobId, driverPid, @namespace, entry, submissionId), cancellationToken).ConfigureAwait(false);

    public async Task FinishJobAsync(byte[] jobId, CancellationToken cancellationToken = default) =>
        await _service.FinishJobAsync(ControlMessages.FinishJob(jobId), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<JobInfo>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        Answer(() => ControlMessages.ToJobInfos(_service.ListJobs(ControlMessages.ListJobs(since: null))), cancellationToken);

    public Task<JobChanges> ListJobsChangedSinceAsync(JobTableRevision? since, CancellationToken cancellationToken = default) =>
        Answer(() => ControlMessages.ToJobChanges(_service.ListJobs(ControlMessages.ListJobs(since))), cancellationToken);

    public async Task<ActorRegistration> RegisterActorAsync(ActorInfo actor, CancellationToken cancellationToken = default) =>
        ControlMessages.ToActorRegistration(await _service.RegisterActorAsync(ControlMessages.RegisterActor(actor), cancellationToken).ConfigureAwait(false));

    public Task<ActorInfo?> LookupActorAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        Answer(() => ControlMessages.ToActorInfo(_service.LookupActor(ControlMessages.LookupActor(@namespace, name))), cancellationToken);

    public Task<ActorInfo?> LookupActorByIdAsync(byte[] actorId, CancellationToken cancellationToken = default) =>
        Answer(() => ControlMessages.ToActorInfo(_service.LookupActor(ControlMessages.LookupActor(actorId))), cancellationToken);

    public async Task EndActorAsync(byte[] actorId, string reason, byte[]? node = null, CancellationToken cancellationToken = default) =>
        await _service.EndActorAsync(ControlMessages.EndActor(actorId, reason, node), cancellationToken).ConfigureAwait(false);

    public Task<Proto.ActorDecision> ReportActorFailureAsync(Proto.ActorFailure failure, CancellationToken cancellationToken = default) =>
        _service.ReportActorFailureAsync(failure.Clone(), cancellationToken);

    public async Task PutActorCheckpointAsync(Proto.ActorCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        await _service.PutActorCheckpointAsync(checkpoint.Clone(), cancellationToken).ConfigureAwait(false);

    public Task RunHeartbeatLoopAsync(byte[] nodeId, Func<IReadOnlyDictionary<string, double>>? resourceUsage, CancellationToken cancellationToken) =>
        NodeHeartbeatLoop.RunAsync(this, _registrations, nodeId, resourceUsage, cancellationToken);

    public Task<IReadOnlyList<string>> MissingBlobsAsync(IReadOnlyList<string> sha256s, CancellationToken cancellationToken = default) =>
        Answer(() => (IReadOnlyList<string>)[.. _service.Packages.MissingBlobs(ControlMessages.MissingBlobs(sha256s)).Sha256], cancellationToken);

    public async Task UploadBlobAsync(string sha256, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(content);
        await _service.Packages.UploadBlobAsync(BlobChunks.ReadAsync(sha256, content, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> RegisterPackageAsync(PackageManifest manifest, CancellationToken cancellationToken = default)
    {
        var reply = await _service.Packages.RegisterPackageAsync(PackageMessages.ToRequest(manifest), cancellationToken).ConfigureAwait(false);
        return reply.PackageId;
    }

    public async Task<PackageManifest> GetPackageManifestAsync(string packageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packageId);
        var request = new Proto.GetPackageManifestRequest { PackageId = packageId };
        var reply = await _service.Packages.GetPackageManifestAsync(request, cancellationToken).ConfigureAwait(false);
        return PackageMessages.ToManifest(reply, packageId);
    }

    public async Task DownloadBlobAsync(string sha256, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(destination);
        cancellationToken.ThrowIfCancellationRequested();
        var chunks = _service.Packages.DownloadBlob(new Proto.DownloadBlobRequest { Sha256 = sha256 }, cancellationToken);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            await destination.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Jobs submitted to the cluster (jobs.proto).

    public async Task<Proto.SubmissionInfo> SubmitJobAsync(Proto.SubmitJobRequest request, CancellationToken cancellationToken = default) =>
        (await _service.Submissions.SubmitAsync(request.Clone(), cancellationToken).ConfigureAwait(false)).Submission;

    public Task<IReadOnlyList<Proto.SubmissionInfo>> ListSubmittedJobsAsync(CancellationToken cancellationToken = default) =>
        Answer(() => (IReadOnlyList<Proto.SubmissionInfo>)[.. _service.Submissions.List().Submissions], cancellationToken);

    public IAsyncEnumerable<Proto.JobLogChunk> ReadJobLogsAsync(string submissionId, long offset, bool follow, CancellationToken cancellationToken = default) =>
        _service.Submissions.ReadLogsAsync(new Proto.GetJobLogsRequest { SubmissionId = submissionId, Offset = offset, Follow = follow }, cancellationToken);

    public async Task<Proto.SubmissionInfo> StopJobAsync(string submissionId, CancellationToken cancellationToken = default) =>
        (await _service.Submissions.StopAsync(new Proto.StopJobRequest { SubmissionId = submissionId }, cancellationToken).ConfigureAwait(false)).Submission;

    public async Task<long> AppendJobOutputAsync(string submissionId, byte[] nodeId, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        (await _service.Submissions.AppendOutputAsync(ControlMessages.AppendJobOutput(submissionId, nodeId, offset, data.Span), cancellationToken).ConfigureAwait(false)).AcceptedEnd;

    public async Task<Proto.SubmissionInfo> ReportJobExitAsync(Proto.ReportJobExitRequest report, CancellationToken cancellationToken = default) =>
        (await _service.Submissions.ReportExitAsync(report.Clone(), cancellationToken).ConfigureAwait(false)).Submission;

    // The state API (state.proto, service PlexusState): requests are cloned, as gRPC would copy them, but for
    // reports: the service keeps nothing of a report's messages (it copies what it keeps), and a node reports
    // thousands of events a second, which the embedded cluster should not copy twice.

    public Task ReportTaskEventsAsync(Proto.ReportTaskEventsRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ReportTaskEvents(request), cancellationToken);

    public Task<Proto.ListTasksReply> ListTasksAsync(Proto.ListTasksRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ListTasks(request.Clone()), cancellationToken);

    public Task<Proto.SummarizeTasksReply> SummarizeTasksAsync(Proto.SummarizeTasksRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.SummarizeTasks(request.Clone()), cancellationToken);

    public Task<Proto.ListWorkersReply> ListWorkersAsync(Proto.ListWorkersRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ListWorkers(request.Clone()), cancellationToken);

    public Task<Proto.ListActorsReply> ListActorsAsync(Proto.ListActorsRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ListActors(request.Clone()), cancellationToken);

    public Task<Proto.GetTimelineReply> GetTimelineAsync(Proto.GetTimelineRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.GetTimeline(request.Clone()), cancellationToken);

    /// <summary>
    /// Runs a synchronous operation as the gRPC client would answer it: a cancelled token or a
    /// refused request gives a cancelled or faulted task, never an exception thrown at the call.
    /// </summary>
    private static Task<T> Answer<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(operation());
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    // Objects, memory and per-process logs.

    public Task<Proto.ListObjectsReply> ListObjectsAsync(Proto.ListObjectsRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ListObjectsAsync(request.Clone(), cancellationToken), cancellationToken).Unwrap();

    public Task<Proto.GetMemoryReportReply> GetMemoryReportAsync(Proto.GetMemoryReportRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.GetMemoryReportAsync(request.Clone(), cancellationToken), cancellationToken).Unwrap();

    public Task<Proto.ReadNodeLogReply> ReadNodeLogAsync(Proto.ReadNodeLogRequest request, CancellationToken cancellationToken = default) =>
        Answer(() => _service.ReadNodeLogAsync(request.Clone(), cancellationToken), cancellationToken).Unwrap();

    public async Task<IReadOnlyList<Proto.NodeRequest>> TakeNodeRequestsAsync(byte[] nodeId, TimeSpan wait, CancellationToken cancellationToken = default) =>
        (await _service.TakeNodeRequestsAsync(
            new Proto.TakeNodeRequestsRequest { NodeId = Google.Protobuf.ByteString.CopyFrom(nodeId), WaitMillis = (int)wait.TotalMilliseconds }, cancellationToken)
            .ConfigureAwait(false)).Requests;

    public Task AnswerNodeRequestAsync(Proto.AnswerNodeRequestRequest answer, CancellationToken cancellationToken = default) =>
        Answer(() => _service.AnswerNodeRequest(answer.Clone()), cancellationToken);

    /// <summary>No dashboard: the service runs in this process, with no web host (an embedded cluster's).</summary>
    public Task<Proto.GetDashboardAccessReply> GetDashboardAccessAsync(CancellationToken cancellationToken = default) =>
        Answer(() => new Proto.GetDashboardAccessReply(), cancellationToken);
}
