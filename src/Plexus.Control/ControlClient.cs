using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Plexus.Control.Heartbeats;
using Plexus.Control.Packages;
using Plexus.Control.Service;
using Plexus.Control.Submissions;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>
/// A connection to a control service over gRPC, used by node daemons, drivers and tools.
/// Thread-safe; one instance per process is enough (it reuses one HTTP/2 connection for all calls).
/// </summary>
/// <remarks>
/// Every call carries the cluster token and fails after <see cref="CallTimeout"/>. Failures map
/// to exceptions: <see cref="ClusterTokenRejectedException"/> for a wrong or missing token,
/// <see cref="ControlServiceUnavailableException"/> when the service cannot be reached or fails,
/// <see cref="ArgumentException"/> for a request the service calls malformed,
/// <see cref="InvalidOperationException"/> for a request that conflicts with its state, and
/// <see cref="OperationCanceledException"/> when the caller's token is cancelled.
/// </remarks>
internal sealed class ControlClient : IControlClient
{
    /// <summary>The largest message either side accepts: a manifest of 100 000 long paths fits.</summary>
    internal const int MaxMessageSize = 64 << 20;

    private readonly GrpcChannel _channel;
    private readonly Proto.ControlService.ControlServiceClient _client;
    private readonly Proto.PlexusJobs.PlexusJobsClient _jobs;

    // Sent with every call; never mutated after construction, so calls can share it.
    private readonly Metadata _headers;

    // What RunHeartbeatLoopAsync sends again when the service has forgotten a node.
    private readonly AcceptedRegistrations _registrations = new();

    /// <summary>Creates a client of the control service at <paramref name="address"/> (e.g. the address a <c>ControlServer</c> reports). Does not connect yet.</summary>
    /// <exception cref="ArgumentException"><paramref name="clusterToken"/> is empty, or <paramref name="address"/> is not an absolute http address.</exception>
    public ControlClient(Uri address, string clusterToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(clusterToken);
        if (!address.IsAbsoluteUri || address.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"The control service address must be an absolute http:// address, got '{address}'.", nameof(address));
        }

        Address = address;
        _headers = new Metadata { { ClusterToken.HeaderName, clusterToken } };
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // Cancelling the caller's token surfaces as OperationCanceledException, not RpcException.
            ThrowOperationCanceledOnCancellation = true,

            // A package manifest lists up to PackageLimits.MaxFiles paths: more than the 4 MiB default.
            MaxReceiveMessageSize = MaxMessageSize,
        });
        _client = new Proto.ControlService.ControlServiceClient(_channel);
        _jobs = new Proto.PlexusJobs.PlexusJobsClient(_channel);
    }

    /// <summary>The control service's address.</summary>
    public Uri Address { get; }

    /// <summary>How long one call may take before it fails with <see cref="ControlServiceUnavailableException"/>. Default 10 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string? ServiceIncarnation { get; private set; }

    /// <summary>
    /// How long one blob upload or download may take before it fails with
    /// <see cref="ControlServiceUnavailableException"/> (a blob can be large, so not <see cref="CallTimeout"/>). Default 30 min.
    /// </summary>
    public TimeSpan BlobTransferTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Adds a node to the cluster (or re-admits it after the service forgot it), with its daemon's
    /// incarnation (listed as <see cref="NodeInfo.Incarnation"/>; 0 for none). The node must then heartbeat every
    /// <see cref="NodeRegistration.HeartbeatInterval"/>, e.g. with <see cref="RunHeartbeatLoopAsync(byte[], CancellationToken)"/>.
    /// </summary>
    /// <returns>
    /// Accepted, or refused with a reason when a live node at another address holds the id, or
    /// refused and <see cref="NodeRegistration.Fenced"/> when the id was declared DEAD (never admitted again).
    /// </returns>
    public async Task<NodeRegistration> RegisterNodeAsync(
        byte[] nodeId, string address, IReadOnlyDictionary<string, double> resources, int pid, ulong incarnation = 0, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.RegisterNode(nodeId, address, resources, pid, incarnation);
        var reply = await CallAsync("RegisterNode", (c, o) => c.RegisterNodeAsync(request, o), cancellationToken).ConfigureAwait(false);
        var registration = ControlMessages.ToNodeRegistration(reply);
        _registrations.Record(request, registration);
        return registration;
    }

    /// <summary>Reports that the node is alive, with its current resource usage (optional).</summary>
    /// <returns>False when the service does not know the node as ALIVE (it restarted, or declared the node dead): register again.</returns>
    public async Task<bool> HeartbeatAsync(byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage = null, CancellationToken cancellationToken = default) =>
        (await HeartbeatAsync(nodeId, resourceUsage, infeasible: null, unreachablePeers: null, cancellationToken).ConfigureAwait(false)).Known;

    /// <summary>
    /// Reports that the node is alive, with its resource usage, the work queued there that no node
    /// can run (one line each) and the peers whose link it lost while they are listed ALIVE (the
    /// service declares a silent one dead at once).
    /// </summary>
    /// <returns>
    /// Whether the service knows the node as ALIVE (when not: it restarted, or declared the node
    /// dead; register again), and the restarts of actors whose node died it asks of this node.
    /// </returns>
    public async Task<HeartbeatAnswer> HeartbeatAsync(
        byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage, IReadOnlyList<string>? infeasible, IReadOnlyList<byte[]>? unreachablePeers, CancellationToken cancellationToken)
    {
        var request = ControlMessages.Heartbeat(nodeId, resourceUsage, infeasible, unreachablePeers);
        var reply = await CallAsync("Heartbeat", (c, o) => c.HeartbeatAsync(request, o), cancellationToken).ConfigureAwait(false);
        ServiceIncarnation = ControlMessages.Incarnation(reply);
        return ControlMessages.ToHeartbeatAnswer(reply);
    }

    /// <summary>Leaves the cluster gracefully: the node is marked DEAD at once.</summary>
    /// <returns>False when the node was not registered or already DEAD.</returns>
    public async Task<bool> UnregisterNodeAsync(byte[] nodeId, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.UnregisterNode(nodeId);
        var reply = await CallAsync("UnregisterNode", (c, o) => c.UnregisterNodeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return reply.Found;
    }

    /// <summary>Lists every node the service knows, ALIVE and DEAD, in registration order.</summary>
    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync("ListNodes", (c, o) => c.ListNodesAsync(new Proto.ListNodesRequest(), o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToNodeInfos(reply);
    }

    /// <summary>
    /// The calls the service has served over gRPC since it started, by method name ("Heartbeat",
    /// "ListNodes", ...), this one included: what a cluster asks of its head, read from outside
    /// (the cluster benchmarks count the calls made while tasks run). A method never called is absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CallsServedAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync("ListNodes", (c, o) => c.ListNodesAsync(new Proto.ListNodesRequest(), o), cancellationToken).ConfigureAwait(false);
        return reply.CallsServed.ToDictionary(c => c.Key, c => (long)c.Value);
    }

    /// <summary>
    /// Adds a running job. Registering the same job again from the same driver and namespace is a
    /// no-op (safe to retry); from another driver it throws <see cref="InvalidOperationException"/>.
    /// A <c>submissionId</c> (the submitted job whose driver this is, from PLEXUS_SUBMISSION_ID) links
    /// the submission to the job; null for a driver started otherwise.
    /// </summary>
    public async Task RegisterJobAsync(byte[] jobId, int driverPid, string @namespace, string entry, CancellationToken cancellationToken = default, string? submissionId = null)
    {
        var request = ControlMessages.RegisterJob(jobId, driverPid, @namespace, entry, submissionId);
        await CallAsync("RegisterJob", (c, o) => c.RegisterJobAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a job finished. Idempotent; throws <see cref="InvalidOperationException"/> for a job never registered.</summary>
    public async Task FinishJobAsync(byte[] jobId, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.FinishJob(jobId);
        await CallAsync("FinishJob", (c, o) => c.FinishJobAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every job, running and finished, in start order.</summary>
    public async Task<IReadOnlyList<JobInfo>> ListJobsAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync("ListJobs", (c, o) => c.ListJobsAsync(ControlMessages.ListJobs(since: null), o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToJobInfos(reply);
    }

    /// <summary>
    /// Lists the jobs registered or finished after <paramref name="since"/>, a revision an earlier
    /// call returned, so a reader that polls gets each change about once instead of the whole
    /// history every time. Lists every job when <paramref name="since"/> is null or the service
    /// restarted since (its revisions start afresh), so a finish is not missed across a restart.
    /// </summary>
    /// <returns>The jobs, in start order, and the revision to pass next time.</returns>
    public async Task<JobChanges> ListJobsChangedSinceAsync(JobTableRevision? since, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.ListJobs(since);
        var reply = await CallAsync("ListJobs", (c, o) => c.ListJobsAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToJobChanges(reply);
    }

    /// <summary>
    /// Registers a live actor, hosted by <see cref="ActorInfo.NodeId"/>, and reserves its name in
    /// its namespace. Registering the same live actor again is a no-op (safe to retry). An actor
    /// registered <see cref="ActorState.Pending"/> (held by its node for a node that can host it)
    /// takes its name at once; registering it again from the node that hosts it moves it there.
    /// </summary>
    /// <returns>Registered; or not, with the live actor that holds the name already.</returns>
    /// <exception cref="InvalidOperationException">Its node is not alive in the cluster, the actor ended before, or it is alive on another node.</exception>
    /// <exception cref="ArgumentException">A field is missing (the message names it).</exception>
    public async Task<ActorRegistration> RegisterActorAsync(ActorInfo actor, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.RegisterActor(actor);
        var reply = await CallAsync("RegisterActor", (c, o) => c.RegisterActorAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToActorRegistration(reply);
    }

    /// <summary>The live actor named <paramref name="name"/> in <paramref name="namespace"/>, wherever it runs; null when none is.</summary>
    /// <exception cref="ArgumentException">The namespace or the name is empty.</exception>
    public async Task<ActorInfo?> LookupActorAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.LookupActor(@namespace, name);
        var reply = await CallAsync("LookupActor", (c, o) => c.LookupActorAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToActorInfo(reply);
    }

    /// <summary>
    /// The actor of id <paramref name="actorId"/> in whatever state the service remembers it
    /// (alive, pending, restarting or dead, with why); null when it does not know it (an actor
    /// neither named nor restartable, or one dead long ago).
    /// </summary>
    public async Task<ActorInfo?> LookupActorByIdAsync(byte[] actorId, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.LookupActor(actorId);
        var reply = await CallAsync("LookupActor", (c, o) => c.LookupActorAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ControlMessages.ToActorInfo(reply);
    }

    /// <summary>
    /// An actor ended (for <paramref name="reason"/>): it is marked dead and its name is free.
    /// Idempotent; an unknown actor is ignored, and so is the end told by a <paramref name="node"/>
    /// that does not host it (one declared dead, whose actor was restarted elsewhere).
    /// </summary>
    public async Task EndActorAsync(byte[] actorId, string reason, byte[]? node = null, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.EndActor(actorId, reason, node);
        await CallAsync("EndActor", (c, o) => c.EndActorAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A restartable actor's incarnation died on the reporting node (<c>failure.actor.node_id</c>):
    /// the service answers its next incarnation with its last checkpoint, or that it is dead (its
    /// restarts are used up). Reporting the same incarnation again gets the same answer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reporting node is not alive in the cluster, or another node hosts the actor.</exception>
    /// <exception cref="ArgumentException">A field is missing, or the actor is not restartable (the message says which).</exception>
    public Task<Proto.ActorDecision> ReportActorFailureAsync(Proto.ActorFailure failure, CancellationToken cancellationToken = default) =>
        CallAsync("ReportActorFailure", (c, o) => c.ReportActorFailureAsync(failure, o), cancellationToken);

    /// <summary>Keeps a restartable actor's saved state for its restarts, unless a newer one is kept.</summary>
    /// <exception cref="InvalidOperationException">The saving node is not alive, or the actor is dead or hosted by another node.</exception>
    /// <exception cref="ArgumentException">A field is missing, or the state is larger than the service keeps (32 MiB).</exception>
    public async Task PutActorCheckpointAsync(Proto.ActorCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        await CallAsync("PutActorCheckpoint", (c, o) => c.PutActorCheckpointAsync(checkpoint, o), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="RunHeartbeatLoopAsync(byte[], Func{IReadOnlyDictionary{string, double}}?, CancellationToken)"/>
    public Task RunHeartbeatLoopAsync(byte[] nodeId, CancellationToken cancellationToken) =>
        RunHeartbeatLoopAsync(nodeId, resourceUsage: null, cancellationToken);

    /// <summary>
    /// Heartbeats for a node registered through this client, at the interval the service asked
    /// for, until <paramref name="cancellationToken"/> is cancelled (then the task completes
    /// normally). When the service answers that it does not know the node (it restarted, or
    /// declared the node dead), the loop registers the node again with its last registration.
    /// While the service is unreachable the loop keeps trying at the same pace.
    /// </summary>
    /// <param name="nodeId">A node registered through <see cref="RegisterNodeAsync"/> on this client.</param>
    /// <param name="resourceUsage">Called before each heartbeat for the usage to report; null reports none.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <exception cref="InvalidOperationException">The node was not registered through this client, or the service refused to re-admit it.</exception>
    /// <exception cref="ClusterTokenRejectedException">The service rejected the cluster token.</exception>
    public Task RunHeartbeatLoopAsync(byte[] nodeId, Func<IReadOnlyDictionary<string, double>>? resourceUsage, CancellationToken cancellationToken) =>
        NodeHeartbeatLoop.RunAsync(this, _registrations, nodeId, resourceUsage, cancellationToken);

    /// <summary>Asks which of these blobs (SHA-256, lower-case hex) the service lacks, so only those need uploading.</summary>
    /// <returns>The hashes the service has no blob for, in the order asked.</returns>
    /// <exception cref="ArgumentException">A hash is malformed (the message names it, e.g. <c>sha256[3]</c>), or more than <see cref="PackageLimits.MaxFiles"/> are asked at once.</exception>
    public async Task<IReadOnlyList<string>> MissingBlobsAsync(IReadOnlyList<string> sha256s, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.MissingBlobs(sha256s);
        var reply = await CallAsync("MissingBlobs", (c, o) => c.MissingBlobsAsync(request, o), cancellationToken).ConfigureAwait(false);
        return [.. reply.Sha256];
    }

    /// <summary>
    /// Uploads <paramref name="content"/>, read from its position to its end, as the blob named
    /// <paramref name="sha256"/>. The service stores it only once all of it arrived and its hash
    /// matches: an upload cut short (cancelled, a read that throws, a lost connection) leaves
    /// nothing, and uploading again starts over. Uploading a blob the service has is harmless.
    /// </summary>
    /// <exception cref="ArgumentException">The name is malformed, the content's hash is not <paramref name="sha256"/>, or it is larger than a package may be.</exception>
    public async Task UploadBlobAsync(string sha256, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(content);

        // A read of content that throws leaves with the call unfinished: disposing the call
        // cancels it, and the service drops what it received.
        using var call = _client.UploadBlob(TransferOptions(cancellationToken));
        try
        {
            bool sent = true;
            await foreach (var chunk in BlobChunks.ReadAsync(sha256, content, cancellationToken).ConfigureAwait(false))
            {
                sent = await TrySendAsync(() => call.RequestStream.WriteAsync(chunk, cancellationToken), call.ResponseAsync, cancellationToken).ConfigureAwait(false);
                if (!sent)
                {
                    break;
                }
            }

            if (sent)
            {
                await TrySendAsync(call.RequestStream.CompleteAsync, call.ResponseAsync, cancellationToken).ConfigureAwait(false);
            }

            await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw ControlMessages.ToException(e, Address, "UploadBlob", BlobTransferTimeout);
        }
    }

    /// <summary>Registers a package whose blobs the service has (upload the missing ones first). Idempotent.</summary>
    /// <returns>The package's id, as the service computed it (equal to <see cref="PackageManifest.Id"/>).</returns>
    /// <exception cref="InvalidOperationException">A file's blob is missing; the message names the first such file.</exception>
    /// <exception cref="ArgumentException">A file's size differs from its blob's, or the package is larger than allowed.</exception>
    public async Task<string> RegisterPackageAsync(PackageManifest manifest, CancellationToken cancellationToken = default)
    {
        var request = PackageMessages.ToRequest(manifest);
        var reply = await CallAsync("RegisterPackage", (c, o) => c.RegisterPackageAsync(request, o), cancellationToken).ConfigureAwait(false);
        return reply.PackageId;
    }

    /// <summary>Gets a registered package's manifest, checked against its id.</summary>
    /// <exception cref="PackageNotFoundException">No package has this id.</exception>
    /// <exception cref="ArgumentException">The id is not a SHA-256 in hex.</exception>
    /// <exception cref="InvalidDataException">The manifest the service holds does not give this id.</exception>
    public async Task<PackageManifest> GetPackageManifestAsync(string packageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packageId);
        var request = new Proto.GetPackageManifestRequest { PackageId = packageId };
        var reply = await CallAsync("GetPackageManifest", (c, o) => c.GetPackageManifestAsync(request, o), cancellationToken).ConfigureAwait(false);
        return PackageMessages.ToManifest(reply, packageId);
    }

    /// <summary>
    /// Writes the blob named <paramref name="sha256"/> to <paramref name="destination"/>, as it
    /// arrives. The content is not verified here: the caller hashes what it wrote.
    /// </summary>
    /// <exception cref="PackageNotFoundException">The service has no such blob.</exception>
    /// <exception cref="ArgumentException">The name is malformed.</exception>
    public async Task DownloadBlobAsync(string sha256, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(destination);
        using var call = _client.DownloadBlob(new Proto.DownloadBlobRequest { Sha256 = sha256 }, TransferOptions(cancellationToken));
        try
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await destination.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException e)
        {
            throw ControlMessages.ToException(e, Address, "DownloadBlob", BlobTransferTimeout);
        }
    }

    // Jobs submitted to the cluster (jobs.proto, the PlexusJobs service on the same connection).

    /// <summary>Submits a driver to run on the cluster (its package uploaded before): PENDING until a node takes it.</summary>
    /// <returns>The submission as recorded, with its id.</returns>
    /// <exception cref="ArgumentException">No package, no program, no submitter, or a bad environment variable name (the message says which).</exception>
    public async Task<Proto.SubmissionInfo> SubmitJobAsync(Proto.SubmitJobRequest request, CancellationToken cancellationToken = default) =>
        (await JobsCallAsync("SubmitJob", (c, o) => c.SubmitJobAsync(request, o), cancellationToken).ConfigureAwait(false)).Submission;

    /// <summary>Every submitted job the service remembers, in submission order, with its state and how much output it printed.</summary>
    public async Task<IReadOnlyList<Proto.SubmissionInfo>> ListSubmittedJobsAsync(CancellationToken cancellationToken = default) =>
        [.. (await JobsCallAsync("ListSubmittedJobs", (c, o) => c.ListSubmittedJobsAsync(new Proto.ListSubmittedJobsRequest(), o), cancellationToken).ConfigureAwait(false)).Submissions];

    /// <summary>
    /// A submitted job's output from <paramref name="offset"/>, in chunks (each says where it starts:
    /// past the offset asked when the service no longer keeps those bytes). With
    /// <paramref name="follow"/>, the stream stays open for output to come until the job has ended
    /// (no deadline: cancel to stop reading); without, it ends at the output there is now.
    /// </summary>
    /// <exception cref="SubmissionNotFoundException">The service knows no such submission.</exception>
    public async IAsyncEnumerable<Proto.JobLogChunk> ReadJobLogsAsync(
        string submissionId, long offset, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new Proto.GetJobLogsRequest { SubmissionId = submissionId, Offset = offset, Follow = follow };
        DateTime? deadline = follow ? null : DateTime.UtcNow + BlobTransferTimeout;
        using var call = _jobs.GetJobLogs(request, new CallOptions(_headers, deadline, cancellationToken));
        while (true)
        {
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RpcException e)
            {
                throw ControlMessages.ToJobsException(e, Address, "GetJobLogs", BlobTransferTimeout);
            }

            yield return call.ResponseStream.Current;
        }
    }

    /// <summary>Stops a submitted job: one waiting for a node at once, a running one once its node has ended its driver. Idempotent.</summary>
    /// <returns>The submission as it is now (STOPPED, or still RUNNING with the stop asked).</returns>
    /// <exception cref="SubmissionNotFoundException">The service knows no such submission.</exception>
    public async Task<Proto.SubmissionInfo> StopJobAsync(string submissionId, CancellationToken cancellationToken = default) =>
        (await JobsCallAsync("StopJob", (c, o) => c.StopJobAsync(new Proto.StopJobRequest { SubmissionId = submissionId }, o), cancellationToken).ConfigureAwait(false)).Submission;

    /// <summary>
    /// Sends output of a driver this node runs, starting at <paramref name="offset"/> of its output.
    /// Safe to send again: what the service has is skipped.
    /// </summary>
    /// <returns>How much output the service has: where the next send starts (less than asked when it lacks bytes before <paramref name="offset"/>).</returns>
    /// <exception cref="InvalidOperationException">The submission is not running on this node (it ended, or its node was declared dead).</exception>
    public async Task<long> AppendJobOutputAsync(string submissionId, byte[] nodeId, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var request = ControlMessages.AppendJobOutput(submissionId, nodeId, offset, data.Span);
        return (await JobsCallAsync("AppendJobOutput", (c, o) => c.AppendJobOutputAsync(request, o), cancellationToken).ConfigureAwait(false)).AcceptedEnd;
    }

    /// <summary>Reports how a driver this node ran ended. Idempotent.</summary>
    /// <returns>The submission as it ended.</returns>
    /// <exception cref="InvalidOperationException">The submission is not running on this node.</exception>
    public async Task<Proto.SubmissionInfo> ReportJobExitAsync(Proto.ReportJobExitRequest report, CancellationToken cancellationToken = default) =>
        (await JobsCallAsync("ReportJobExit", (c, o) => c.ReportJobExitAsync(report, o), cancellationToken).ConfigureAwait(false)).Submission;

    private Task<TReply> JobsCallAsync<TReply>(
        string operation,
        Func<Proto.PlexusJobs.PlexusJobsClient, CallOptions, AsyncUnaryCall<TReply>> call,
        CancellationToken cancellationToken) =>
        UnaryAsync(_jobs, operation, call, ControlMessages.ToJobsException, cancellationToken);

    /// <summary>Closes the connection. Calls in flight fail.</summary>
    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes to a client stream; false when the service already ended the call (it refused the
    /// upload midway), whose status the response then carries. Depending on timing the write then
    /// fails as a finished call, a failed one, or a cancelled one although the caller did not cancel;
    /// or it never ends: a write waiting for flow-control room on a stream the service has reset was
    /// seen to be forgotten by the HTTP/2 client, so the service's answer ends the wait too.
    /// </summary>
    private static async Task<bool> TrySendAsync(Func<Task> send, Task answered, CancellationToken cancellationToken)
    {
        try
        {
            var sending = send();
            if (await Task.WhenAny(sending, answered).ConfigureAwait(false) != sending)
            {
                // Observed, so a late failure of the abandoned write is not reported as unobserved.
                _ = sending.ContinueWith(static write => write.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return false;
            }

            await sending.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException ||
            (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    // The state API (state.proto, service PlexusState), on the same channel, token and timeout.

    // Made on first use: only tools and reporting nodes call the state API.
    private Proto.PlexusState.PlexusStateClient? _stateClient;

    private Proto.PlexusState.PlexusStateClient StateClient => _stateClient ??= new Proto.PlexusState.PlexusStateClient(_channel);

    /// <summary>Reports a node's task events since its last report and its worker processes now.</summary>
    public async Task ReportTaskEventsAsync(Proto.ReportTaskEventsRequest request, CancellationToken cancellationToken = default) =>
        await StateCallAsync("ReportTaskEvents", (c, o) => c.ReportTaskEventsAsync(request, o), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The tasks and actor calls matching the request's filters (status, job, node, name), in
    /// listing order, a page of at most <c>limit</c> (default 100, at most 10 000) after
    /// <c>page_token</c>; with how many match in all and the next page's token.
    /// </summary>
    /// <exception cref="ArgumentException">A filter, the limit or the page token is malformed.</exception>
    public Task<Proto.ListTasksReply> ListTasksAsync(Proto.ListTasksRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("ListTasks", (c, o) => c.ListTasksAsync(request, o), cancellationToken);

    /// <summary>Counts of tasks by function and status, of one job or of all.</summary>
    public Task<Proto.SummarizeTasksReply> SummarizeTasksAsync(Proto.SummarizeTasksRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("SummarizeTasks", (c, o) => c.SummarizeTasksAsync(request, o), cancellationToken);

    /// <summary>The worker processes of one node or all, as their nodes last reported them.</summary>
    public Task<Proto.ListWorkersReply> ListWorkersAsync(Proto.ListWorkersRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("ListWorkers", (c, o) => c.ListWorkersAsync(request, o), cancellationToken);

    /// <summary>The actor table's actors (named and restartable ones) matching the request's filters.</summary>
    public Task<Proto.ListActorsReply> ListActorsAsync(Proto.ListActorsRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("ListActors", (c, o) => c.ListActorsAsync(request, o), cancellationToken);

    /// <summary>A job's task spans: where and when each ran.</summary>
    public Task<Proto.GetTimelineReply> GetTimelineAsync(Proto.GetTimelineRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("GetTimeline", (c, o) => c.GetTimelineAsync(request, o), cancellationToken);

    private Task<TReply> StateCallAsync<TReply>(
        string operation,
        Func<Proto.PlexusState.PlexusStateClient, CallOptions, AsyncUnaryCall<TReply>> call,
        CancellationToken cancellationToken) =>
        UnaryAsync(StateClient, operation, call, ControlMessages.ToException, cancellationToken);

    private CallOptions TransferOptions(CancellationToken cancellationToken) =>
        new(_headers, DateTime.UtcNow + BlobTransferTimeout, cancellationToken);

    private Task<TReply> CallAsync<TReply>(
        string operation,
        Func<Proto.ControlService.ControlServiceClient, CallOptions, AsyncUnaryCall<TReply>> call,
        CancellationToken cancellationToken) =>
        UnaryAsync(_client, operation, call, ControlMessages.ToException, cancellationToken);

    // One unary call of any of the head's services, with the token, the call timeout, and the
    // service's failures turned into this client's exceptions by `translate`.
    private async Task<TReply> UnaryAsync<TClient, TReply>(
        TClient client,
        string operation,
        Func<TClient, CallOptions, AsyncUnaryCall<TReply>> call,
        Func<RpcException, Uri, string, TimeSpan, Exception> translate,
        CancellationToken cancellationToken)
    {
        var options = new CallOptions(_headers, DateTime.UtcNow + CallTimeout, cancellationToken);
        try
        {
            return await call(client, options).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw translate(e, Address, operation, CallTimeout);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // ThrowOperationCanceledOnCancellation ends a call past its deadline this way too: the
            // service did not answer in time, which callers (a node's heartbeat loop) retry.
            throw translate(new RpcException(new Status(StatusCode.DeadlineExceeded, e.Message), e.Message), Address, operation, CallTimeout);
        }
    }

    // Objects, memory and per-process logs.

    /// <summary>
    /// The objects in the nodes' stores as each last reported them, filtered by job and node, largest
    /// first, at most <c>limit</c> (default 100); with <c>include_held</c>, also those the nodes' processes hold, asked of them now.
    /// </summary>
    public Task<Proto.ListObjectsReply> ListObjectsAsync(Proto.ListObjectsRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("ListObjects", (c, o) => c.ListObjectsAsync(request, o), cancellationToken);

    /// <summary>The stores' use grouped by node (default), job or call site, with each node's capacity and use.</summary>
    public Task<Proto.GetMemoryReportReply> GetMemoryReportAsync(Proto.GetMemoryReportRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("GetMemoryReport", (c, o) => c.GetMemoryReportAsync(request, o), cancellationToken);

    /// <summary>
    /// A node's log files (no file named) or a range of one, which the service asks of the node:
    /// <see cref="InvalidOperationException"/> when the node is not alive or did not answer.
    /// </summary>
    public Task<Proto.ReadNodeLogReply> ReadNodeLogAsync(Proto.ReadNodeLogRequest request, CancellationToken cancellationToken = default) =>
        StateCallAsync("ReadNodeLog", (c, o) => c.ReadNodeLogAsync(request, o), cancellationToken);

    /// <summary>Node side: the requests for the node (log reads, reference summaries), the service waiting up to <paramref name="wait"/> (less than <see cref="CallTimeout"/>) for one.</summary>
    public async Task<IReadOnlyList<Proto.NodeRequest>> TakeNodeRequestsAsync(byte[] nodeId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var request = new Proto.TakeNodeRequestsRequest { NodeId = ByteString.CopyFrom(nodeId), WaitMillis = (int)wait.TotalMilliseconds };
        return (await StateCallAsync("TakeNodeRequests", (c, o) => c.TakeNodeRequestsAsync(request, o), cancellationToken).ConfigureAwait(false)).Requests;
    }

    /// <summary>Node side: its answer to a request it took.</summary>
    public async Task AnswerNodeRequestAsync(Proto.AnswerNodeRequestRequest answer, CancellationToken cancellationToken = default) =>
        await StateCallAsync("AnswerNodeRequest", (c, o) => c.AnswerNodeRequestAsync(answer, o), cancellationToken).ConfigureAwait(false);

    // The head's dashboard (dashboard.proto, service PlexusDashboard), on the same channel, token and timeout.

    /// <summary>Where the head serves its dashboard (port 0: none) and the read-only token that opens it.</summary>
    /// <exception cref="ReadOnlyTokenRefusedException">This client holds the read-only token, not the cluster token.</exception>
    public Task<Proto.GetDashboardAccessReply> GetDashboardAccessAsync(CancellationToken cancellationToken = default) =>
        UnaryAsync(
            new Proto.PlexusDashboard.PlexusDashboardClient(_channel),
            "GetDashboardAccess",
            (c, o) => c.GetDashboardAccessAsync(new Proto.GetDashboardAccessRequest(), o),
            ControlMessages.ToException,
            cancellationToken);
}
