using System.Net;
using System.Net.NetworkInformation;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Binding;
using Plexus.Control;
using Plexus.Control.Submissions;
using Plexus.Core;
using Plexus.Hosting.Packages;
using Plexus.Protocol.Transport;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// A driver joined to a multi-machine cluster: it registers its job with the head's control
/// service and uploads its application as the job's package (only the files the cluster lacks).
/// On a machine where a node of the cluster runs, it attaches to that node over its Unix socket,
/// so its objects go through shared memory and nothing of its own crosses TCP; elsewhere it brings
/// a node of its own (<see cref="DriverNode"/>), which joins the cluster over TCP and runs no work.
/// Disposing it detaches (or stops its node) and finishes the job.
/// </summary>
internal sealed class ClusterDriver : ClusterConnection
{
    // The driver's link to its node: an AttachedDriver, or the DriverNode it brought.
    private readonly IAsyncDisposable _attachment;
    private readonly IControlClient _control;
    private readonly JobId _job;

    private ClusterDriver(IAsyncDisposable attachment, IControlClient control, JobId job)
    {
        _attachment = attachment;
        _control = control;
        _job = job;
    }

    public override Uri? ControlAddress => (_control as ControlClient)?.Address;

    // The live nodes the control service lists, in registration order; drivers' own nodes run no work and are left out.
    public override async Task<IReadOnlyList<ClusterNodeInfo>> GetNodesAsync(ulong self, CancellationToken cancellationToken)
    {
        IReadOnlyList<NodeInfo> nodes;
        try
        {
            nodes = await _control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ControlServiceUnavailableException e)
        {
            throw new InvalidOperationException($"The cluster's nodes could not be listed: {e.Message}", e);
        }

        return [.. nodes.Where(n => n.State == NodeState.Alive && !n.Resources.ContainsKey(DriverNode.Marker))
            .Select(n => (Id: ControlIds.NodeOf(n.NodeId), n.Resources))
            .Select(n => new ClusterNodeInfo(n.Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), n.Id == self, n.Resources))];
    }

    public static async Task<(RuntimeCore, ClusterConnection)> JoinAsync(Uri head, PlexusOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var token = ClusterTokens.Find(options)
            ?? throw new InvalidOperationException(
                $"No cluster token: set PLEXUS_TOKEN (or PLEXUS_TOKEN_FILE, or PlexusOptions.ClusterToken) to the token of the cluster at {head.Authority}; its head wrote it to <temp dir>/token.");
        var control = new ControlClient(head, token);
        DriverNode? ownNode = null;
        try
        {
            var localNode = await LocalNodeAsync(control, cancellationToken).ConfigureAwait(false);
            var job = JobId.NewRandom();
            var package = await PackageUploader.UploadAsync(control, AppContext.BaseDirectory, cancellationToken).ConfigureAwait(false);
            if (localNode is null)
            {
                ownNode = await DriverNode.StartAsync(head, control, token, options, loggerFactory ?? NullLoggerFactory.Instance, cancellationToken).ConfigureAwait(false);
            }

            var entry = Assembly.GetEntryAssembly()?.GetName().Name ?? "driver";
            // A driver run by `plexus submit` links its job to the submission, which then lists it.
            string? submission = Environment.GetEnvironmentVariable(SubmissionIds.Variable) is { Length: > 0 } id ? id : null;
            await control.RegisterJobAsync(ControlIds.Job(job), Environment.ProcessId, options.Namespace ?? ActorNamespaces.AnonymousOf(job), entry, cancellationToken, submission).ConfigureAwait(false);
            if (localNode is not { } node)
            {
                var runtime = ownNode!.AttachRuntime(job, package.Id, options);
                runtime.UseDriverLogging(loggerFactory, options.TaskLogLevel);
                return (runtime, new ClusterDriver(ownNode, control, job));
            }

            var attached = await AttachedDriver.ConnectAsync(TransportEndpoint.Unix($"plexus-node-{node:x16}"), token,
                options.InlineThreshold, options.RecordCallSites, job, package.Id, cancellationToken,
                explainDisconnect: timeout => WhyNodeWentAsync(control, node, timeout)).ConfigureAwait(false);
            attached.Runtime.MaxLineageBytes = options.MaxLineageBytes;
            attached.Runtime.Namespace = options.Namespace;
            attached.Runtime.UseDriverLogging(loggerFactory, options.TaskLogLevel);
            return (attached.Runtime, new ClusterDriver(attached, control, job));
        }
        catch (Exception e)
        {
            if (ownNode is not null)
            {
                await ownNode.DisposeAsync().ConfigureAwait(false);
            }

            await control.DisposeAsync().ConfigureAwait(false);
            if (e is ClusterTokenRejectedException)
            {
                // The user's mistake, said as every refused token is said.
                throw new InvalidClusterTokenException($"The cluster at {head.Authority}");
            }

            throw;
        }
    }

    // The live node of the cluster (not another driver's) whose address is one of this machine's; null when none runs here.
    private static async Task<ulong?> LocalNodeAsync(IControlClient control, CancellationToken cancellationToken)
    {
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet();
        var nodes = await control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes.Where(n => n.State == NodeState.Alive && !n.Resources.ContainsKey(DriverNode.Marker)))
        {
            if (ControlIds.NodeOf(node.NodeId) != 0 && node.Address.StartsWith("tcp:", StringComparison.Ordinal)
                && IPAddress.TryParse(TransportEndpoint.Parse(node.Address).Host.Trim('[', ']'), out var ip) && local.Contains(ip))
            {
                return ControlIds.NodeOf(node.NodeId);
            }
        }

        return null;
    }

    // Why the node this driver is attached to closed its link, as the control service lists it: a
    // node declared dead (which stopped when it was fenced) says so with the service's reason; null
    // when it is not listed dead or the service cannot say in time.
    private static async Task<Exception?> WhyNodeWentAsync(IControlClient control, ulong node, CancellationToken cancellationToken)
    {
        try
        {
            var nodes = await control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
            return nodes.FirstOrDefault(n => ControlIds.NodeOf(n.NodeId) == node) is { State: NodeState.Dead } dead
                ? DriversNodeDeclaredDead.Error(node, dead.DeathReason ?? "no reason given")
                : null;
        }
        catch (Exception e) when (e is ControlServiceUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            // The service is out of reach (or the driver is ending): the plain reason will do.
            return null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _attachment.DisposeAsync().ConfigureAwait(false);
        try
        {
            // A restarting service is waited for: a job left RUNNING keeps its package's workers alive on every node.
            await ControlServiceRetry.CallAsync(token => _control.FinishJobAsync(ControlIds.Job(_job), token), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ControlServiceUnavailableException or InvalidOperationException)
        {
            // The head is gone for good: there is no job table to update.
        }

        await _control.DisposeAsync().ConfigureAwait(false);
    }
}
