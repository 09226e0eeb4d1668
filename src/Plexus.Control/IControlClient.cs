using Plexus.Control.Packages;

namespace Plexus.Control;

/// <summary>
/// The operations a node daemon or driver performs on the control service, whichever way it is
/// reached: <see cref="ControlClient"/> over gRPC, or <see cref="InProcessControlClient"/> when
/// the service runs in this process. Both send the same requests and give the same answers and
/// exception types, so callers need not know which one they hold.
/// </summary>
/// <remarks>
/// Failures: <see cref="ArgumentException"/> for a request the service calls malformed,
/// <see cref="InvalidOperationException"/> for a request that conflicts with its state, and
/// <see cref="OperationCanceledException"/> when the caller's token is cancelled. A remote
/// service adds <see cref="ControlServiceUnavailableException"/> and
/// <see cref="ClusterTokenRejectedException"/>.
/// </remarks>
internal interface IControlClient : IAsyncDisposable
{
    /// <inheritdoc cref="ControlClient.RegisterNodeAsync"/>
    Task<NodeRegistration> RegisterNodeAsync(
        byte[] nodeId, string address, IReadOnlyDictionary<string, double> resources, int pid, ulong incarnation = 0, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.HeartbeatAsync(byte[], IReadOnlyDictionary{string, double}?, CancellationToken)"/>
    Task<bool> HeartbeatAsync(byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.HeartbeatAsync(byte[], IReadOnlyDictionary{string, double}?, IReadOnlyList{string}?, IReadOnlyList{byte[]}?, CancellationToken)"/>
    Task<HeartbeatAnswer> HeartbeatAsync(
        byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage, IReadOnlyList<string>? infeasible, IReadOnlyList<byte[]>? unreachablePeers, CancellationToken cancellationToken);

    /// <summary>
    /// The incarnation (hex, random per start) of the service that answered the latest heartbeat;
    /// null before one was answered. A change means the service restarted.
    /// </summary>
    string? ServiceIncarnation { get; }

    /// <inheritdoc cref="ControlClient.UnregisterNodeAsync"/>
    Task<bool> UnregisterNodeAsync(byte[] nodeId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListNodesAsync"/>
    Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.RegisterJobAsync"/>
    Task RegisterJobAsync(byte[] jobId, int driverPid, string @namespace, string entry, CancellationToken cancellationToken = default, string? submissionId = null);

    /// <inheritdoc cref="ControlClient.FinishJobAsync"/>
    Task FinishJobAsync(byte[] jobId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListJobsAsync"/>
    Task<IReadOnlyList<JobInfo>> ListJobsAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListJobsChangedSinceAsync"/>
    Task<JobChanges> ListJobsChangedSinceAsync(JobTableRevision? since, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.RegisterActorAsync"/>
    Task<ActorRegistration> RegisterActorAsync(ActorInfo actor, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.LookupActorAsync"/>
    Task<ActorInfo?> LookupActorAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.LookupActorByIdAsync"/>
    Task<ActorInfo?> LookupActorByIdAsync(byte[] actorId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.EndActorAsync"/>
    Task EndActorAsync(byte[] actorId, string reason, byte[]? node = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ReportActorFailureAsync"/>
    Task<Plexus.Protocol.Control.ActorDecision> ReportActorFailureAsync(Plexus.Protocol.Control.ActorFailure failure, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.PutActorCheckpointAsync"/>
    Task PutActorCheckpointAsync(Plexus.Protocol.Control.ActorCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.RunHeartbeatLoopAsync(byte[], Func{IReadOnlyDictionary{string, double}}?, CancellationToken)"/>
    Task RunHeartbeatLoopAsync(byte[] nodeId, Func<IReadOnlyDictionary<string, double>>? resourceUsage, CancellationToken cancellationToken);

    /// <inheritdoc cref="ControlClient.MissingBlobsAsync"/>
    Task<IReadOnlyList<string>> MissingBlobsAsync(IReadOnlyList<string> sha256s, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.UploadBlobAsync"/>
    Task UploadBlobAsync(string sha256, Stream content, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.RegisterPackageAsync"/>
    Task<string> RegisterPackageAsync(PackageManifest manifest, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.GetPackageManifestAsync"/>
    Task<PackageManifest> GetPackageManifestAsync(string packageId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.DownloadBlobAsync"/>
    Task DownloadBlobAsync(string sha256, Stream destination, CancellationToken cancellationToken = default);

    // Jobs submitted to the cluster (jobs.proto, the PlexusJobs service).

    /// <inheritdoc cref="ControlClient.SubmitJobAsync"/>
    Task<Plexus.Protocol.Control.SubmissionInfo> SubmitJobAsync(Plexus.Protocol.Control.SubmitJobRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListSubmittedJobsAsync"/>
    Task<IReadOnlyList<Plexus.Protocol.Control.SubmissionInfo>> ListSubmittedJobsAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ReadJobLogsAsync"/>
    IAsyncEnumerable<Plexus.Protocol.Control.JobLogChunk> ReadJobLogsAsync(string submissionId, long offset, bool follow, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.StopJobAsync"/>
    Task<Plexus.Protocol.Control.SubmissionInfo> StopJobAsync(string submissionId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.AppendJobOutputAsync"/>
    Task<long> AppendJobOutputAsync(string submissionId, byte[] nodeId, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ReportJobExitAsync"/>
    Task<Plexus.Protocol.Control.SubmissionInfo> ReportJobExitAsync(Plexus.Protocol.Control.ReportJobExitRequest report, CancellationToken cancellationToken = default);

    // The state API (state.proto, service PlexusState).

    /// <inheritdoc cref="ControlClient.ReportTaskEventsAsync"/>
    Task ReportTaskEventsAsync(Plexus.Protocol.Control.ReportTaskEventsRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListTasksAsync"/>
    Task<Plexus.Protocol.Control.ListTasksReply> ListTasksAsync(Plexus.Protocol.Control.ListTasksRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.SummarizeTasksAsync"/>
    Task<Plexus.Protocol.Control.SummarizeTasksReply> SummarizeTasksAsync(Plexus.Protocol.Control.SummarizeTasksRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListWorkersAsync"/>
    Task<Plexus.Protocol.Control.ListWorkersReply> ListWorkersAsync(Plexus.Protocol.Control.ListWorkersRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ListActorsAsync"/>
    Task<Plexus.Protocol.Control.ListActorsReply> ListActorsAsync(Plexus.Protocol.Control.ListActorsRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.GetTimelineAsync"/>
    Task<Plexus.Protocol.Control.GetTimelineReply> GetTimelineAsync(Plexus.Protocol.Control.GetTimelineRequest request, CancellationToken cancellationToken = default);

    // Objects, memory and per-process logs (the end of state.proto).

    /// <inheritdoc cref="ControlClient.ListObjectsAsync"/>
    Task<Plexus.Protocol.Control.ListObjectsReply> ListObjectsAsync(Plexus.Protocol.Control.ListObjectsRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.GetMemoryReportAsync"/>
    Task<Plexus.Protocol.Control.GetMemoryReportReply> GetMemoryReportAsync(Plexus.Protocol.Control.GetMemoryReportRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.ReadNodeLogAsync"/>
    Task<Plexus.Protocol.Control.ReadNodeLogReply> ReadNodeLogAsync(Plexus.Protocol.Control.ReadNodeLogRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.TakeNodeRequestsAsync"/>
    Task<IReadOnlyList<Plexus.Protocol.Control.NodeRequest>> TakeNodeRequestsAsync(byte[] nodeId, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ControlClient.AnswerNodeRequestAsync"/>
    Task AnswerNodeRequestAsync(Plexus.Protocol.Control.AnswerNodeRequestRequest answer, CancellationToken cancellationToken = default);

    // The head's dashboard (dashboard.proto, service PlexusDashboard).

    /// <inheritdoc cref="ControlClient.GetDashboardAccessAsync"/>
    Task<Plexus.Protocol.Control.GetDashboardAccessReply> GetDashboardAccessAsync(CancellationToken cancellationToken = default);
}
