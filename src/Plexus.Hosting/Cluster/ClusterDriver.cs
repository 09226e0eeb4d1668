using System.Net;
using System.Net.NetworkInformation;
using System.Reflection;
using Plexus.Binding;
using Plexus.Control;
using Plexus.Core;
using Plexus.Hosting.Packages;
using Plexus.Protocol.Transport;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// A driver joined to a multi-machine cluster: it registers its job with the head's control
/// service, uploads its application as the job's package (only the files the cluster lacks), and
/// attaches to the node of its own machine over that node's Unix socket, so its objects go through
/// shared memory and nothing of its own crosses TCP. Disposing it detaches and finishes the job.
/// </summary>
internal sealed class ClusterDriver : ClusterConnection
{
    private readonly AttachedDriver _attached;
    private readonly IControlClient _control;
    private readonly JobId _job;

    private ClusterDriver(AttachedDriver attached, IControlClient control, JobId job)
    {
        _attached = attached;
        _control = control;
        _job = job;
    }

    public override Uri? ControlAddress => (_control as ControlClient)?.Address;

    public static async Task<(RuntimeCore, ClusterConnection)> JoinAsync(Uri head, PlexusOptions options, CancellationToken cancellationToken)
    {
        var token = ClusterTokens.Find(options)
            ?? throw new InvalidOperationException(
                $"No cluster token: set PLEXUS_TOKEN (or PLEXUS_TOKEN_FILE, or PlexusOptions.ClusterToken) to the token of the cluster at {head.Authority}; its head wrote it to <temp dir>/token.");
        var control = new ControlClient(head, token);
        try
        {
            var node = await LocalNodeAsync(control, head, cancellationToken).ConfigureAwait(false);
            var job = JobId.NewRandom();
            var package = await PackageUploader.UploadAsync(control, AppContext.BaseDirectory, cancellationToken).ConfigureAwait(false);
            var entry = Assembly.GetEntryAssembly()?.GetName().Name ?? "driver";
            await control.RegisterJobAsync(ControlIds.Job(job), Environment.ProcessId, "default", entry, cancellationToken).ConfigureAwait(false);
            var attached = await AttachedDriver.ConnectAsync(TransportEndpoint.Unix($"plexus-node-{node:x16}"), token,
                options.InlineThreshold, options.RecordCallSites, job, package.Id, cancellationToken).ConfigureAwait(false);
            return (attached.Runtime, new ClusterDriver(attached, control, job));
        }
        catch
        {
            await control.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The live node of the cluster whose address is one of this machine's.
    private static async Task<ulong> LocalNodeAsync(IControlClient control, Uri head, CancellationToken cancellationToken)
    {
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet();
        var nodes = await control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes.Where(n => n.State == NodeState.Alive))
        {
            if (ControlIds.NodeOf(node.NodeId) != 0 && node.Address.StartsWith("tcp:", StringComparison.Ordinal)
                && IPAddress.TryParse(TransportEndpoint.Parse(node.Address).Host.Trim('[', ']'), out var ip) && local.Contains(ip))
            {
                return ControlIds.NodeOf(node.NodeId);
            }
        }

        throw new InvalidOperationException(
            $"No node of the cluster at {head.Authority} runs on this machine ({nodes.Count(n => n.State == NodeState.Alive)} live nodes elsewhere). " +
            $"Start one here first: plexus start --address {head.Authority} --token-file FILE");
    }

    public override async ValueTask DisposeAsync()
    {
        await _attached.DisposeAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _control.FinishJobAsync(ControlIds.Job(_job), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ControlServiceUnavailableException or OperationCanceledException or InvalidOperationException)
        {
            // The head is gone: there is no job table to update.
        }

        await _control.DisposeAsync().ConfigureAwait(false);
    }
}
