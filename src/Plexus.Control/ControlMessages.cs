using Google.Protobuf;
using Grpc.Core;
using Plexus.Control.Packages;
using Plexus.Control.Submissions;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>
/// Translations between the client's public types and the protocol's messages, shared by every
/// <see cref="IControlClient"/> so that they send and answer alike.
/// </summary>
internal static class ControlMessages
{
    public static Proto.RegisterNodeRequest RegisterNode(byte[] nodeId, string address, IReadOnlyDictionary<string, double> resources, int pid, ulong incarnation)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentNullException.ThrowIfNull(resources);
        var request = new Proto.RegisterNodeRequest { NodeId = ByteString.CopyFrom(nodeId), Address = address, Pid = pid, Incarnation = incarnation };
        foreach (var (resource, amount) in resources)
        {
            request.Resources[resource] = amount;
        }

        return request;
    }

    public static NodeRegistration ToNodeRegistration(Proto.RegisterNodeReply reply) => new()
    {
        Accepted = reply.Accepted,
        HeartbeatInterval = TimeSpan.FromMilliseconds(reply.HeartbeatIntervalMs),
        RejectReason = reply.Accepted ? null : reply.RejectReason,
        Fenced = reply.Fenced,
    };

    /// <summary>The service incarnation a heartbeat reply names, hex; null from a service that names none.</summary>
    public static string? Incarnation(Proto.HeartbeatReply reply) =>
        reply.ServiceIncarnation.IsEmpty ? null : Convert.ToHexStringLower(reply.ServiceIncarnation.Span);

    public static Proto.HeartbeatRequest Heartbeat(
        byte[] nodeId, IReadOnlyDictionary<string, double>? resourceUsage, IReadOnlyList<string>? infeasible = null, IReadOnlyList<byte[]>? unreachablePeers = null)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var request = new Proto.HeartbeatRequest { NodeId = ByteString.CopyFrom(nodeId) };
        if (resourceUsage is not null)
        {
            foreach (var (resource, amount) in resourceUsage)
            {
                request.ResourceUsage[resource] = amount;
            }
        }

        request.Infeasible.AddRange(infeasible ?? []);
        request.UnreachablePeers.AddRange((unreachablePeers ?? []).Select(ByteString.CopyFrom));
        return request;
    }

    public static Proto.UnregisterNodeRequest UnregisterNode(byte[] nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return new Proto.UnregisterNodeRequest { NodeId = ByteString.CopyFrom(nodeId) };
    }

    public static Proto.RegisterJobRequest RegisterJob(byte[] jobId, int driverPid, string @namespace, string entry, string? submissionId = null)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(entry);
        return new Proto.RegisterJobRequest { JobId = ByteString.CopyFrom(jobId), DriverPid = driverPid, Namespace = @namespace, Entry = entry, SubmissionId = submissionId ?? "" };
    }

    public static Proto.FinishJobRequest FinishJob(byte[] jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return new Proto.FinishJobRequest { JobId = ByteString.CopyFrom(jobId) };
    }

    public static Proto.RegisterActorRequest RegisterActor(ActorInfo actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new Proto.RegisterActorRequest
        {
            Actor = new Proto.ActorInfo
            {
                ActorId = ByteString.CopyFrom(actor.ActorId),
                JobId = ByteString.CopyFrom(actor.JobId),
                Namespace = actor.Namespace,
                Name = actor.Name ?? string.Empty,
                ClassName = actor.ClassName,
                Detached = actor.Detached,
                NodeId = ByteString.CopyFrom(actor.NodeId),
                OwnerNodeId = ByteString.CopyFrom(actor.OwnerNodeId),
                OwnerProcess = actor.OwnerProcess,
                State = actor.State == ActorState.Pending ? Proto.ActorState.Pending : Proto.ActorState.Alive,
                MaxRestarts = actor.MaxRestarts,
                Incarnation = actor.Incarnation,
                Spec = actor.Spec is { } spec ? ByteString.CopyFrom(spec) : ByteString.Empty,
                Demand = { new Dictionary<string, double>(actor.Demand) },
            },
        };
    }

    public static ActorRegistration ToActorRegistration(Proto.RegisterActorReply reply) =>
        new(reply.Registered, reply.Holder is { } holder ? ToActorInfo(holder) : null);

    public static Proto.LookupActorRequest LookupActor(string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        return new Proto.LookupActorRequest { Namespace = @namespace, Name = name };
    }

    public static Proto.LookupActorRequest LookupActor(byte[] actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        return new Proto.LookupActorRequest { ActorId = ByteString.CopyFrom(actorId) };
    }

    public static HeartbeatAnswer ToHeartbeatAnswer(Proto.HeartbeatReply reply) => new(reply.Known, ActorAssignments(reply))
    {
        DriversToStart = [.. reply.DriversToStart],
        DriversToStop = [.. reply.DriversToStop],
    };

    public static IReadOnlyList<ActorAssignment> ActorAssignments(Proto.HeartbeatReply reply) =>
        [.. reply.ActorAssignments.Select(a => new ActorAssignment(ToActorInfo(a.Actor), a.Checkpoint.IsEmpty ? null : a.Checkpoint.ToByteArray()))];

    public static ActorInfo? ToActorInfo(Proto.LookupActorReply reply) => reply.Actor is { } actor ? ToActorInfo(actor) : null;

    public static Proto.EndActorRequest EndActor(byte[] actorId, string reason, byte[]? node = null)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        ArgumentNullException.ThrowIfNull(reason);
        return new Proto.EndActorRequest { ActorId = ByteString.CopyFrom(actorId), Reason = reason, NodeId = node is null ? ByteString.Empty : ByteString.CopyFrom(node) };
    }

    public static Proto.MissingBlobsRequest MissingBlobs(IReadOnlyList<string> sha256s)
    {
        ArgumentNullException.ThrowIfNull(sha256s);
        var request = new Proto.MissingBlobsRequest();
        request.Sha256.AddRange(sha256s);
        return request;
    }

    public static IReadOnlyList<NodeInfo> ToNodeInfos(Proto.ListNodesReply reply) => reply.Nodes.Select(ToNodeInfo).ToArray();

    public static IReadOnlyList<JobInfo> ToJobInfos(Proto.ListJobsReply reply) => reply.Jobs.Select(ToJobInfo).ToArray();

    public static Proto.ListJobsRequest ListJobs(JobTableRevision? since) => since is { } seen
        ? new Proto.ListJobsRequest { Incarnation = seen.Incarnation, SinceRevision = seen.Revision }
        : new Proto.ListJobsRequest();

    public static JobChanges ToJobChanges(Proto.ListJobsReply reply) =>
        new(ToJobInfos(reply), new JobTableRevision(reply.Incarnation, reply.Revision));

    /// <summary>
    /// Maps a failed call to the exception the client documents. Status codes the service uses
    /// for bad requests become argument or state errors; everything else means the service could
    /// not do its job and becomes <see cref="ControlServiceUnavailableException"/>. Only packages
    /// and blobs asked for by name are ever not found (<see cref="PackageNotFoundException"/>).
    /// </summary>
    public static Exception ToException(RpcException e, Uri address, string operation, TimeSpan callTimeout) => e.StatusCode switch
    {
        StatusCode.PermissionDenied when e.Trailers.GetValue(ReadOnlyTokenRefusedException.RefusalTrailer) == ReadOnlyTokenRefusedException.ReadOnlyToken =>
            new ReadOnlyTokenRefusedException(address, operation, e),
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => new ClusterTokenRejectedException(address, operation, e),
        StatusCode.InvalidArgument => new ArgumentException($"The control service at {address} refused {operation}: {e.Status.Detail}", e),
        StatusCode.NotFound => new PackageNotFoundException($"The control service at {address} refused {operation}: {e.Status.Detail}", e),
        StatusCode.AlreadyExists or StatusCode.FailedPrecondition =>
            new InvalidOperationException($"The control service at {address} refused {operation}: {e.Status.Detail}", e),
        StatusCode.DeadlineExceeded => new ControlServiceUnavailableException(
            address, operation, $"The control service at {address} did not answer {operation} within {callTimeout.TotalSeconds:0.###} s.", e),
        StatusCode.Unavailable => new ControlServiceUnavailableException(
            address, operation, $"The control service at {address} is unreachable; {operation} failed: {e.Status.Detail}. Check that the head node is running and the address is right.", e),
        _ => new ControlServiceUnavailableException(
            address, operation, $"{operation} on the control service at {address} failed with {e.StatusCode}: {e.Status.Detail}", e),
    };

    private static NodeInfo ToNodeInfo(Proto.NodeInfo node) => new()
    {
        NodeId = node.NodeId.ToByteArray(),
        Address = node.Address,
        Pid = node.Pid,
        Resources = new Dictionary<string, double>(node.Resources),
        ResourceUsage = new Dictionary<string, double>(node.ResourceUsage),
        Infeasible = [.. node.Infeasible],
        State = node.State == Proto.NodeState.Alive ? NodeState.Alive : NodeState.Dead,
        LastHeartbeatAge = TimeSpan.FromMilliseconds(node.LastHeartbeatAgeMs),
        DeathReason = string.IsNullOrEmpty(node.DeathReason) ? null : node.DeathReason,
        RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(node.RegisteredUnixMs),
        Incarnation = node.Incarnation,
    };

    private static JobInfo ToJobInfo(Proto.JobInfo job) => new()
    {
        JobId = job.JobId.ToByteArray(),
        DriverPid = job.DriverPid,
        Namespace = job.Namespace,
        Entry = job.Entry,
        State = job.State == Proto.JobState.Finished ? JobState.Finished : JobState.Running,
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(job.StartUnixMs),
        EndTime = job.EndUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(job.EndUnixMs),
    };

    private static ActorInfo ToActorInfo(Proto.ActorInfo actor) => new()
    {
        ActorId = actor.ActorId.ToByteArray(),
        JobId = actor.JobId.ToByteArray(),
        Namespace = actor.Namespace,
        Name = actor.Name.Length == 0 ? null : actor.Name,
        ClassName = actor.ClassName,
        Detached = actor.Detached,
        NodeId = actor.NodeId.ToByteArray(),
        OwnerNodeId = actor.OwnerNodeId.ToByteArray(),
        OwnerProcess = actor.OwnerProcess,
        State = actor.State switch
        {
            Proto.ActorState.Dead => ActorState.Dead,
            Proto.ActorState.Pending => ActorState.Pending,
            Proto.ActorState.Restarting => ActorState.Restarting,
            _ => ActorState.Alive,
        },
        DeathReason = string.IsNullOrEmpty(actor.DeathReason) ? null : actor.DeathReason,
        DeathCause = actor.DeathCause,
        MaxRestarts = actor.MaxRestarts,
        Incarnation = actor.Incarnation,
        Spec = actor.Spec.IsEmpty ? null : actor.Spec.ToByteArray(),
        Demand = new Dictionary<string, double>(actor.Demand),
    };

    // Jobs submitted to the cluster (jobs.proto).

    public static Proto.AppendJobOutputRequest AppendJobOutput(string submissionId, byte[] nodeId, long offset, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(submissionId);
        ArgumentNullException.ThrowIfNull(nodeId);
        return new Proto.AppendJobOutputRequest { SubmissionId = submissionId, NodeId = ByteString.CopyFrom(nodeId), Offset = offset, Data = ByteString.CopyFrom(data) };
    }

    /// <summary>
    /// The exception for a failed call of the jobs service: <see cref="SubmissionNotFoundException"/>
    /// for NOT_FOUND (the only thing it does not find is a submission), else as <see cref="ToException"/>.
    /// </summary>
    public static Exception ToJobsException(RpcException e, Uri address, string operation, TimeSpan callTimeout) => e.StatusCode == StatusCode.NotFound
        ? new SubmissionNotFoundException(e.Status.Detail, e)
        : ToException(e, address, operation, callTimeout);
}
