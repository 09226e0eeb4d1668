using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Plexus.Control.Jobs;
using Plexus.Control.Membership;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Service;

/// <summary>
/// The gRPC face of the control service: validates requests and hands them to the tables.
/// Malformed input is INVALID_ARGUMENT with a message saying which field is wrong; it never
/// reaches the store.
/// </summary>
internal sealed class ControlGrpcService : Proto.ControlService.ControlServiceBase
{
    /// <summary>Ids are fixed-size binary values; anything longer than this is not one of ours.</summary>
    internal const int MaxIdLength = 64;

    private readonly MembershipTable _membership;
    private readonly JobTable _jobs;
    private readonly ControlServiceSettings _settings;

    public ControlGrpcService(MembershipTable membership, JobTable jobs, ControlServiceSettings settings)
    {
        _membership = membership;
        _jobs = jobs;
        _settings = settings;
    }

    public override Task<Proto.RegisterNodeReply> RegisterNode(Proto.RegisterNodeRequest request, ServerCallContext context)
    {
        ValidateId(request.NodeId, "node_id");
        if (string.IsNullOrWhiteSpace(request.Address))
        {
            throw InvalidArgument("address must not be empty");
        }

        ValidateAmounts(request.Resources, "resources");
        return _membership.RegisterAsync(request, _settings.HeartbeatInterval, context.CancellationToken);
    }

    public override Task<Proto.HeartbeatReply> Heartbeat(Proto.HeartbeatRequest request, ServerCallContext context)
    {
        ValidateId(request.NodeId, "node_id");
        ValidateAmounts(request.ResourceUsage, "resource_usage");
        var usage = request.ResourceUsage.Count == 0
            ? (IReadOnlyDictionary<string, double>)new Dictionary<string, double>()
            : new Dictionary<string, double>(request.ResourceUsage);
        return Task.FromResult(new Proto.HeartbeatReply { Known = _membership.Heartbeat(request.NodeId, usage) });
    }

    public override async Task<Proto.UnregisterNodeReply> UnregisterNode(Proto.UnregisterNodeRequest request, ServerCallContext context)
    {
        ValidateId(request.NodeId, "node_id");
        bool found = await _membership.UnregisterAsync(request.NodeId, context.CancellationToken);
        return new Proto.UnregisterNodeReply { Found = found };
    }

    public override Task<Proto.ListNodesReply> ListNodes(Proto.ListNodesRequest request, ServerCallContext context) =>
        Task.FromResult(_membership.List());

    public override async Task<Proto.RegisterJobReply> RegisterJob(Proto.RegisterJobRequest request, ServerCallContext context)
    {
        ValidateId(request.JobId, "job_id");
        await _jobs.RegisterAsync(request, context.CancellationToken);
        return new Proto.RegisterJobReply();
    }

    public override async Task<Proto.FinishJobReply> FinishJob(Proto.FinishJobRequest request, ServerCallContext context)
    {
        ValidateId(request.JobId, "job_id");
        await _jobs.FinishAsync(request.JobId, context.CancellationToken);
        return new Proto.FinishJobReply();
    }

    public override Task<Proto.ListJobsReply> ListJobs(Proto.ListJobsRequest request, ServerCallContext context) =>
        Task.FromResult(_jobs.List());

    private static void ValidateId(ByteString id, string field)
    {
        if (id.IsEmpty || id.Length > MaxIdLength)
        {
            throw InvalidArgument($"{field} must be 1 to {MaxIdLength} bytes, got {id.Length}");
        }
    }

    private static void ValidateAmounts(MapField<string, double> amounts, string field)
    {
        foreach (var (name, amount) in amounts)
        {
            if (string.IsNullOrEmpty(name) || !double.IsFinite(amount) || amount < 0)
            {
                throw InvalidArgument($"{field}['{name}'] = {amount} is not a valid amount: names must be non-empty, amounts finite and >= 0");
            }
        }
    }

    private static RpcException InvalidArgument(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
