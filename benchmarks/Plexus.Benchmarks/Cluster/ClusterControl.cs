using System.Diagnostics;
using Plexus.Control;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// The head's control service as the suite reads it: the nodes' states, each node's reported usage
/// (transfer byte counters) and the calls the service has served.
/// </summary>
internal sealed class ClusterControl : IAsyncDisposable
{
    private static readonly TimeSpan HeartbeatPatience = TimeSpan.FromSeconds(30);

    private readonly ControlClient _client;

    private ClusterControl(ControlClient client) => _client = client;

    /// <summary>The service at <paramref name="address"/> (<c>ip:port</c>), with the cluster's token.</summary>
    public static ClusterControl Connect(string address, string token) => new(new ControlClient(new Uri($"http://{address}"), token));

    /// <summary>The service the driver joined: PLEXUS_ADDRESS, with PLEXUS_TOKEN.</summary>
    public static ClusterControl FromEnvironment()
    {
        var address = Environment.GetEnvironmentVariable(PlexusRuntime.AddressVariable)
            ?? throw new InvalidOperationException($"The cluster driver runs with {PlexusRuntime.AddressVariable} set to the head's control address.");
        var token = Environment.GetEnvironmentVariable("PLEXUS_TOKEN")
            ?? throw new InvalidOperationException("The cluster driver runs with PLEXUS_TOKEN set to the cluster's token.");
        return Connect(address, token);
    }

    /// <summary>How many nodes the service lists ALIVE.</summary>
    public async Task<int> AliveCountAsync() => (await _client.ListNodesAsync()).Count(n => n.State == NodeState.Alive);

    /// <summary>The state of node <paramref name="nodeId"/> (hex), or null when the service does not list it.</summary>
    public async Task<NodeState?> StateAsync(string nodeId) =>
        (await _client.ListNodesAsync()).FirstOrDefault(n => Convert.ToHexStringLower(n.NodeId) == nodeId)?.State;

    /// <summary>
    /// Usage counters (e.g. "transfer_bytes_sent") of every live node, by name and then node id in
    /// hex, as reported by heartbeats sent after this call began (it waits for them: nodes
    /// heartbeat every 500 ms, each on its own), so they count everything done before it.
    /// </summary>
    /// <exception cref="TimeoutException">A live node sent no heartbeat for 30 s.</exception>
    public async Task<IReadOnlyDictionary<string, Dictionary<string, double>>> UsageAsync(IReadOnlyList<string> names)
    {
        var since = Stopwatch.StartNew();
        while (true)
        {
            var nodes = (await _client.ListNodesAsync()).Where(n => n.State == NodeState.Alive).ToList();
            var elapsed = since.Elapsed;
            if (nodes.All(n => n.LastHeartbeatAge < elapsed))
            {
                return names.ToDictionary(name => name, name => nodes.ToDictionary(n => Convert.ToHexStringLower(n.NodeId), n => n.ResourceUsage.GetValueOrDefault(name)));
            }

            if (elapsed > HeartbeatPatience)
            {
                throw new TimeoutException($"A live node sent no heartbeat for {HeartbeatPatience.TotalSeconds} s: {string.Join("; ", nodes)}.");
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc cref="ControlClient.CallsServedAsync"/>
    public Task<IReadOnlyDictionary<string, long>> CallsServedAsync() => _client.CallsServedAsync();

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
