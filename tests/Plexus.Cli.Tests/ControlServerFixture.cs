using Plexus.Control;

namespace Plexus.Cli.Tests;

/// <summary>A real control server (gRPC over loopback) on a port from the OS, and a client of it, for one test.</summary>
internal sealed class ControlServerFixture : IAsyncDisposable
{
    public const string Token = "cli-test-token";

    private ControlServerFixture(ControlServer server, ControlClient client)
    {
        Server = server;
        Client = client;
    }

    public ControlServer Server { get; }

    public ControlClient Client { get; }

    /// <summary>The address as people give it to the tool: <c>HOST:PORT</c>.</summary>
    public string HostPort => $"{Server.Address.Host}:{Server.Address.Port}";

    public static async Task<ControlServerFixture> StartAsync()
    {
        var server = await ControlServer.StartAsync(new ControlServerOptions { ClusterToken = Token, Port = 0 });
        return new ControlServerFixture(server, new ControlClient(server.Address, Token));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
