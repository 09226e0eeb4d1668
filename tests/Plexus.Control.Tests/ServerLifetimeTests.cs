using System.Net;
using System.Net.Sockets;

namespace Plexus.Control.Tests;

public sealed class ServerLifetimeTests
{
    [Fact]
    public async Task ServerListensOnLoopbackPortChosenByTheSystem()
    {
        await using var cluster = await ControlTestCluster.StartAsync();

        Assert.Equal("127.0.0.1", cluster.Server.Address.Host);
        Assert.NotEqual(0, cluster.Server.Address.Port);
        Assert.Empty(await cluster.Client.ListNodesAsync());
    }

    [Fact]
    public async Task DisposingTheServerFreesThePort()
    {
        var server = await ControlServer.StartAsync(new ControlServerOptions { ClusterToken = ControlTestCluster.Token });
        var address = server.Address;
        await using (var client = new ControlClient(address, ControlTestCluster.Token))
        {
            await client.ListNodesAsync();
        }

        await server.DisposeAsync();
        await server.DisposeAsync();

        using var listener = new TcpListener(IPAddress.Loopback, address.Port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task StoppedServiceIsReportedUnavailableWithItsAddress()
    {
        var server = await ControlServer.StartAsync(new ControlServerOptions { ClusterToken = ControlTestCluster.Token });
        var address = server.Address;
        await server.DisposeAsync();
        await using var client = new ControlClient(address, ControlTestCluster.Token) { CallTimeout = TimeSpan.FromSeconds(5) };

        var e = await Assert.ThrowsAsync<ControlServiceUnavailableException>(() => client.ListNodesAsync());

        Assert.Contains(address.ToString(), e.Message);
        Assert.Contains("ListNodes", e.Message);
        Assert.Equal(address, e.Address);
    }

    [Fact]
    public async Task CancelledCallThrowsOperationCanceled()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cluster.Client.ListNodesAsync(cancelled.Token));
    }

    [Fact]
    public async Task AServiceThatNeverAnswersIsReportedUnavailableNotCancelled()
    {
        // Accepts connections and says nothing: each call runs into its deadline.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        await using var client = new ControlClient(address, ControlTestCluster.Token) { CallTimeout = TimeSpan.FromMilliseconds(300) };

        var e = await Assert.ThrowsAsync<ControlServiceUnavailableException>(() => client.HeartbeatAsync(new byte[16]));

        Assert.Contains("did not answer Heartbeat", e.Message);
        Assert.Equal(address, e.Address);
    }
}
