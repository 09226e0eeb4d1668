using Grpc.Core;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>Translations between the wire messages and the client's public types and exceptions.</summary>
internal static class ControlMessages
{
    public static NodeInfo ToNodeInfo(Proto.NodeInfo node) => new()
    {
        NodeId = node.NodeId.ToByteArray(),
        Address = node.Address,
        Pid = node.Pid,
        Resources = new Dictionary<string, double>(node.Resources),
        ResourceUsage = new Dictionary<string, double>(node.ResourceUsage),
        State = node.State == Proto.NodeState.Alive ? NodeState.Alive : NodeState.Dead,
        LastHeartbeatAge = TimeSpan.FromMilliseconds(node.LastHeartbeatAgeMs),
        DeathReason = string.IsNullOrEmpty(node.DeathReason) ? null : node.DeathReason,
        RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(node.RegisteredUnixMs),
    };

    public static JobInfo ToJobInfo(Proto.JobInfo job) => new()
    {
        JobId = job.JobId.ToByteArray(),
        DriverPid = job.DriverPid,
        Namespace = job.Namespace,
        Entry = job.Entry,
        State = job.State == Proto.JobState.Finished ? JobState.Finished : JobState.Running,
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(job.StartUnixMs),
        EndTime = job.EndUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(job.EndUnixMs),
    };

    /// <summary>
    /// Maps a failed call to the exception the client documents. Status codes the service uses
    /// for bad requests become argument or state errors; everything else means the service could
    /// not do its job and becomes <see cref="ControlServiceUnavailableException"/>.
    /// </summary>
    public static Exception ToException(RpcException e, Uri address, string operation, TimeSpan callTimeout) => e.StatusCode switch
    {
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => new ClusterTokenRejectedException(address, operation, e),
        StatusCode.InvalidArgument => new ArgumentException($"The control service at {address} refused {operation}: {e.Status.Detail}", e),
        StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition =>
            new InvalidOperationException($"The control service at {address} refused {operation}: {e.Status.Detail}", e),
        StatusCode.DeadlineExceeded => new ControlServiceUnavailableException(
            address, operation, $"The control service at {address} did not answer {operation} within {callTimeout.TotalSeconds:0.###} s.", e),
        StatusCode.Unavailable => new ControlServiceUnavailableException(
            address, operation, $"The control service at {address} is unreachable; {operation} failed: {e.Status.Detail}. Check that the head node is running and the address is right.", e),
        _ => new ControlServiceUnavailableException(
            address, operation, $"{operation} on the control service at {address} failed with {e.StatusCode}: {e.Status.Detail}", e),
    };
}
