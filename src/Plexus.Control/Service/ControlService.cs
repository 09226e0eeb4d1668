using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control.Actors;
using Plexus.Control.Jobs;
using Plexus.Control.Membership;
using Plexus.Control.Packages;
using Plexus.Control.State;
using Plexus.Control.Storage;
using Plexus.Control.Submissions;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>
/// The control service itself, without a network: node membership with heartbeats and a failure
/// detector, the job and actor tables over an <see cref="IControlStore"/>, and application packages (<see cref="Packages"/>). The gRPC server is one way
/// to reach it (Plexus.Control.Server); <see cref="InProcessControlClient"/> is another, for a
/// cluster that runs the service in the driver's process.
/// </summary>
/// <remarks>
/// Operations take and return the protocol's messages, so every way in sees the same contract.
/// A malformed request throws <see cref="ArgumentException"/> naming the field and never reaches
/// the store; a request that conflicts with the tables (a job id held by another driver, an
/// unknown job) throws <see cref="InvalidOperationException"/>.
/// </remarks>
internal sealed partial class ControlService : IAsyncDisposable
{
    private readonly ControlServiceSettings _settings;
    private readonly IControlStore _store;
    private readonly MembershipTable _membership;
    private readonly JobTable _jobs;
    private readonly ActorTable _actors;
    private readonly FailureDetector _failureDetector;
    private readonly ILogger _logger;

    // Random per start: heartbeat replies carry it, so a node can tell a restarted service from the one it knew.
    private readonly ByteString _incarnation = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(8));

    // 0 until StartAsync has begun, 1 after; the service loads its tables once.
    private int _started;

    // 0 while usable, 1 once DisposeAsync has begun; makes dispose idempotent.
    private int _disposed;

    /// <summary>Creates a service over <paramref name="store"/>, which it owns and disposes. Call <see cref="StartAsync"/> before serving.</summary>
    /// <exception cref="ArgumentException"><paramref name="settings"/> are unusable; the message names the setting.</exception>
    public ControlService(ControlServiceSettings settings, IControlStore store, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        string problems = string.Join(" ", settings.Problems());
        if (problems.Length > 0)
        {
            throw new ArgumentException(problems, nameof(settings));
        }

        _settings = settings;
        _store = store;
        _logger = loggerFactory.CreateLogger<ControlService>();
        _membership = new MembershipTable(store, time, loggerFactory.CreateLogger<MembershipTable>());
        _jobs = new JobTable(store, settings.FinishedJobsKept, time, loggerFactory.CreateLogger<JobTable>());
        _actors = new ActorTable(store, time, settings.DeadActorHistory, loggerFactory.CreateLogger<ActorTable>());
        _failureDetector = new FailureDetector(_membership, settings.HeartbeatTimeout, time, loggerFactory.CreateLogger<FailureDetector>());
        _membership.NodeDied += OnNodeDied;
        Packages = new PackageService(settings.PackageDirectory, settings.PackageLimits);
        Submissions = new SubmissionService(store, OpenJobOutput(settings), settings.FinishedJobsKept, time, FinishSubmittedJobAsync);
        Tasks = new TaskTable(settings.FinishedTasksKept);
        StoreObjects = new ObjectTable(time);
        NodeRequests = new NodeRequests(time);
    }

    /// <summary>
    /// Raised when a node is marked DEAD: it sent no heartbeat for the heartbeat timeout, it
    /// unregistered, or peers reported it unreachable (<see cref="NodeDeathCause.Unreachable"/>). Raised on a background thread; an exception thrown by a handler is logged and
    /// otherwise ignored.
    /// </summary>
    public event EventHandler<NodeDiedEventArgs>? NodeDied;

    /// <summary>Application packages: blobs and manifests uploaded by drivers, fetched by nodes.</summary>
    public PackageService Packages { get; }

    /// <summary>Jobs submitted to the cluster: their table, their output, and the drivers nodes run for them.</summary>
    public SubmissionService Submissions { get; }

    /// <summary>How often nodes are told to heartbeat.</summary>
    public TimeSpan HeartbeatInterval => _settings.HeartbeatInterval;

    /// <summary>Recovers the tables from the store and starts failure detection. Call once.</summary>
    /// <exception cref="InvalidOperationException">The service was started before.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The control service was already started; create a new one to start again.");
        }

        await _membership.LoadAsync(cancellationToken).ConfigureAwait(false);
        await _jobs.LoadAsync(cancellationToken).ConfigureAwait(false);
        await _actors.LoadAsync(cancellationToken).ConfigureAwait(false);
        await Submissions.LoadAsync(cancellationToken).ConfigureAwait(false);
        _failureDetector.Start();
    }

    public async Task<Proto.RegisterNodeReply> RegisterNodeAsync(Proto.RegisterNodeRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.NodeId, "node_id");
        RequestValidation.NotBlank(request.Address, "address");
        RequestValidation.Amounts(request.Resources, "resources");
        return await _membership.RegisterAsync(request, _settings.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Proto.HeartbeatReply> HeartbeatAsync(Proto.HeartbeatRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.NodeId, "node_id");
        RequestValidation.Amounts(request.ResourceUsage, "resource_usage");
        foreach (var peer in request.UnreachablePeers)
        {
            RequestValidation.Id(peer, "unreachable_peers");
        }

        // Copied: the membership table keeps the usage, and the request is the caller's.
        var usage = new Dictionary<string, double>(request.ResourceUsage);
        bool known = await _membership.HeartbeatAsync(
            request.NodeId, usage, [.. request.Infeasible], request.UnreachablePeers, _settings.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
        var reply = new Proto.HeartbeatReply { Known = known, ServiceIncarnation = _incarnation };
        if (known)
        {
            reply.ActorAssignments.AddRange(_actors.AssignmentsOf(request.NodeId, _membership.ChooseHost));
            await Submissions.AddDriverWorkAsync(
                reply, request.NodeId, () => DriverPlacement.Takes(_membership.List(), request.NodeId, _settings.HeadHost), cancellationToken).ConfigureAwait(false);
        }

        return reply;
    }

    public async Task<Proto.UnregisterNodeReply> UnregisterNodeAsync(Proto.UnregisterNodeRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.NodeId, "node_id");
        bool found = await _membership.UnregisterAsync(request.NodeId, cancellationToken).ConfigureAwait(false);
        return new Proto.UnregisterNodeReply { Found = found };
    }

    /// <summary>The calls served over gRPC, counted by the server as it admits them.</summary>
    public ControlCallCounts Calls { get; } = new();

    public Proto.ListNodesReply ListNodes()
    {
        var reply = _membership.List();
        reply.CallsServed.Add(Calls.Snapshot());
        return reply;
    }

    public async Task<Proto.RegisterJobReply> RegisterJobAsync(Proto.RegisterJobRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.JobId, "job_id");
        await _jobs.RegisterAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.SubmissionId.Length > 0)
        {
            try
            {
                await Submissions.LinkJobAsync(request.SubmissionId, request.JobId, cancellationToken).ConfigureAwait(false);
            }
            catch (SubmissionNotFoundException)
            {
                // Started by hand with a stale PLEXUS_SUBMISSION_ID, or forgotten: the job runs all the same, unlinked.
            }
        }

        return new Proto.RegisterJobReply();
    }

    public async Task<Proto.FinishJobReply> FinishJobAsync(Proto.FinishJobRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.JobId, "job_id");
        await _jobs.FinishAsync(request.JobId, cancellationToken).ConfigureAwait(false);
        await _actors.JobFinishedAsync(request.JobId, cancellationToken).ConfigureAwait(false);
        return new Proto.FinishJobReply();
    }

    public Proto.ListJobsReply ListJobs(Proto.ListJobsRequest request) => _jobs.List(request);

    public Task<Proto.RegisterActorReply> RegisterActorAsync(Proto.RegisterActorRequest request, CancellationToken cancellationToken)
    {
        var actor = request.Actor ?? throw new ArgumentException("actor must be set");
        RequestValidation.Id(actor.ActorId, "actor.actor_id");
        RequestValidation.Id(actor.JobId, "actor.job_id");
        RequestValidation.Id(actor.NodeId, "actor.node_id");
        RequestValidation.NotBlank(actor.Namespace, "actor.namespace");
        RequestValidation.NotBlank(actor.ClassName, "actor.class_name");
        RequestValidation.Amounts(actor.Demand, "actor.demand");
        if (actor.MaxRestarts < -1)
        {
            throw new ArgumentException($"actor.max_restarts must be -1 (without limit) or more; it is {actor.MaxRestarts}");
        }

        return _actors.RegisterAsync(actor, _membership.IsAlive, cancellationToken);
    }

    public Proto.LookupActorReply LookupActor(Proto.LookupActorRequest request)
    {
        if (!request.ActorId.IsEmpty)
        {
            RequestValidation.Id(request.ActorId, "actor_id");
            return _actors.LookupById(request.ActorId);
        }

        RequestValidation.NotBlank(request.Namespace, "namespace");
        RequestValidation.NotBlank(request.Name, "name");
        return _actors.Lookup(request.Namespace, request.Name);
    }

    public async Task<Proto.EndActorReply> EndActorAsync(Proto.EndActorRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.ActorId, "actor_id");
        if (!request.NodeId.IsEmpty)
        {
            RequestValidation.Id(request.NodeId, "node_id");
            if (!_membership.IsAlive(request.NodeId))
            {
                // A node declared dead stops what it ran once fenced: its actors are not its to end any more.
                return new Proto.EndActorReply();
            }
        }

        await _actors.EndAsync(request.ActorId, request.Reason, request.NodeId, cancellationToken).ConfigureAwait(false);
        return new Proto.EndActorReply();
    }

    /// <summary>Stops failure detection and releases the store (and a temporary package directory). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _failureDetector.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        Packages.Dispose();
        Submissions.Dispose();
    }

    private void OnNodeDied(NodeDiedEventArgs e)
    {
        // Not awaited: the membership raises this after its own change, outside its lock. With the
        // in-memory store it completes before the call that declared the node dead returns.
        _ = EndActorsOfAsync(e.NodeId);
        _ = FailDriversOfAsync(e.NodeId);
        Workers.NodeGone(ControlIds.NodeOf(e.NodeId));
        StoreObjects.NodeGone(ControlIds.NodeOf(e.NodeId));
        NodeRequests.NodeGone(ControlIds.NodeOf(e.NodeId));
        try
        {
            NodeDied?.Invoke(this, e);
        }
        catch (Exception exception)
        {
            ControlLog.NodeDiedHandlerFailed(_logger, exception, Convert.ToHexStringLower(e.NodeId));
        }
    }

    // The drivers a dead node ran fail, saying why the node died.
    private async Task FailDriversOfAsync(byte[] nodeId)
    {
        var node = ByteString.CopyFrom(nodeId);
        string why = _membership.List().Nodes.FirstOrDefault(n => n.NodeId == node)?.DeathReason is { Length: > 0 } reason ? reason : "declared dead";
        try
        {
            await Submissions.NodeDiedAsync(node, $"Node {Convert.ToHexStringLower(nodeId)}, which ran the driver, died: {why}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ControlLog.NodeDriversNotFailed(_logger, exception, Convert.ToHexStringLower(nodeId));
        }
    }

    // A submitted job ended: the job its driver registered finishes, and with it its actors (unless detached).
    private async Task FinishSubmittedJobAsync(ByteString jobId, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.FinishAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Forgotten by the job table (it keeps the most recent finished jobs): it finished long ago.
            return;
        }

        await _actors.JobFinishedAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    private static JobOutputStore OpenJobOutput(ControlServiceSettings settings) =>
        settings.JobOutputDirectory is { } directory
            ? FileJobOutputStore.Open(directory, settings.JobOutputLimit)
            : new InMemoryJobOutputStore(settings.JobOutputLimit);

    private async Task EndActorsOfAsync(byte[] nodeId)
    {
        try
        {
            await _actors.NodeDiedAsync(ByteString.CopyFrom(nodeId), _membership.IsAlive, _membership.ChooseHost, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ControlLog.NodeActorsNotEnded(_logger, exception, Convert.ToHexStringLower(nodeId));
        }
    }
}
