using Microsoft.Extensions.Logging;

namespace Plexus.Control.Tests;

/// <summary>A real control server on a free loopback port plus a client of it; disposed per test.</summary>
internal sealed class ControlTestCluster : IAsyncDisposable
{
    public const string Token = "test-cluster-token";

    private ControlTestCluster(ControlServer server, ControlClient client)
    {
        Server = server;
        Client = client;
    }

    public ControlServer Server { get; }

    public ControlClient Client { get; }

    public static async Task<ControlTestCluster> StartAsync(
        TimeSpan? heartbeatTimeout = null, TimeSpan? heartbeatInterval = null, int port = 0, string? packageDirectory = null,
        ILoggerFactory? loggerFactory = null, string? storage = null, string token = Token)
    {
        var options = new ControlServerOptions { ClusterToken = token, Port = port, PackageDirectory = packageDirectory, LoggerFactory = loggerFactory };
        if (storage is not null)
        {
            options.Storage = storage;
        }

        if (heartbeatInterval is { } interval)
        {
            options.HeartbeatInterval = interval;
        }

        if (heartbeatTimeout is { } timeout)
        {
            options.HeartbeatTimeout = timeout;
        }

        var server = await ControlServer.StartAsync(options);
        var client = new ControlClient(server.Address, token);

        // Ready means answering: this first call also opens the connection and pays the cold-start
        // cost (JIT), which would otherwise count against the short heartbeat timeouts tests use.
        await client.ListNodesAsync();
        return new ControlTestCluster(server, client);
    }

    public static byte[] NewId() => Guid.NewGuid().ToByteArray();

    public async Task<NodeInfo?> FindNodeAsync(byte[] nodeId) =>
        (await Client.ListNodesAsync()).SingleOrDefault(n => n.NodeId.AsSpan().SequenceEqual(nodeId));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
