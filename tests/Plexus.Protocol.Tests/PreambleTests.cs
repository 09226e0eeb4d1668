using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>
/// The acceptor checks the preamble before any frame: a wrong token, version or cluster is
/// refused with a typed error on the connecting side, and the listener goes on serving others.
/// </summary>
public sealed class PreambleTests
{
    [Theory]
    [MemberData(nameof(TestEndpoints.Kinds), MemberType = typeof(TestEndpoints))]
    public async Task AWrongTokenIsRefusedAndTheListenerServesOthers(string kind)
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh(kind));

        var e = await Assert.ThrowsAsync<InvalidClusterTokenException>(
            () => FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member with { Token = "not-the-token" }));
        Assert.Equal(server.Endpoint.ToString(), e.Endpoint);
        Assert.Contains("token", (await server.NextFailureAsync() as PeerRefusedException)?.Message, StringComparison.Ordinal);

        await AssertServesAsync(server.Endpoint);
    }

    [Fact]
    public async Task AnEmptyTokenIsRefusedNotLeftWaiting()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("mem"));

        await Assert.ThrowsAsync<InvalidClusterTokenException>(
            () => FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member with { Token = string.Empty }).WaitAsync(TestEndpoints.Patience));
        Assert.IsType<PeerRefusedException>(await server.NextFailureAsync());
    }

    [Fact]
    public async Task AnotherProtocolVersionIsRefusedNamingBothVersions()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("unix"));
        var newer = (ushort)(ConnectionPreamble.CurrentVersion + 1);

        var e = await Assert.ThrowsAsync<ProtocolVersionMismatchException>(
            () => FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member with { Version = newer }));
        Assert.Equal((newer, ConnectionPreamble.CurrentVersion), (e.LocalVersion, e.RemoteVersion));
        Assert.IsType<PeerRefusedException>(await server.NextFailureAsync());

        await AssertServesAsync(server.Endpoint);
    }

    [Fact]
    public async Task AMemberOfAnotherClusterIsRefused()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("mem"));

        await Assert.ThrowsAsync<ClusterMismatchException>(
            () => FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member with { ClusterId = TestEndpoints.Cluster + 1 }));
        Assert.IsType<PeerRefusedException>(await server.NextFailureAsync());

        await AssertServesAsync(server.Endpoint);
    }

    [Fact]
    public async Task AnAcceptedPeerLearnsWhoAcceptedItButNotTheToken()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("mem"));
        await using var transport = await Transports.For(server.Endpoint).ConnectAsync(server.Endpoint);

        // Cluster 0: a side that knows only the address joins whichever cluster answers.
        var acceptor = await PreambleExchange.ConnectAsync(transport, TestEndpoints.Member with { ClusterId = 0 }, server.Endpoint.ToString());

        Assert.Equal(TestEndpoints.Acceptor with { Token = string.Empty }, acceptor);
    }

    private static async Task AssertServesAsync(TransportEndpoint endpoint)
    {
        await using var client = await FrameClient.ConnectAsync(endpoint, TestEndpoints.Member);
        client.Connection.Send([42]);
        Assert.Equal([42], await client.NextAsync());
    }
}
