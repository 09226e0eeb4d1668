using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task CallWithWrongTokenIsRejectedAndServerKeepsServing()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        await using var intruder = new ControlClient(cluster.Server.Address, "not-the-token");

        var rejected = await Assert.ThrowsAsync<ClusterTokenRejectedException>(() => intruder.ListNodesAsync());

        Assert.Contains(cluster.Server.Address.ToString(), rejected.Message);
        Assert.Contains("token", rejected.Message);
        Assert.Equal("ListNodes", rejected.Operation);
        Assert.IsAssignableFrom<ControlServiceUnavailableException>(rejected);
        await Assert.ThrowsAsync<ClusterTokenRejectedException>(
            () => intruder.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1));
        Assert.Empty(await cluster.Client.ListNodesAsync());
    }

    [Fact]
    public async Task CallWithoutTokenFailsUnauthenticatedAndServerKeepsServing()
    {
        await using var cluster = await ControlTestCluster.StartAsync();
        using var channel = GrpcChannel.ForAddress(cluster.Server.Address);
        var raw = new Proto.ControlService.ControlServiceClient(channel);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await raw.RegisterNodeAsync(new Proto.RegisterNodeRequest
        {
            NodeId = ByteString.CopyFrom(ControlTestCluster.NewId()),
            Address = "tcp://127.0.0.1:7001",
        }));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Empty(await cluster.Client.ListNodesAsync());
        var registration = await cluster.Client.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:7002", new Dictionary<string, double>(), pid: 1);
        Assert.True(registration.Accepted);
    }

    [Fact]
    public async Task ServerRequiresAClusterToken()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ControlServer.StartAsync(new ControlServerOptions { ClusterToken = "" }));
        Assert.Throws<ArgumentException>(() => new ControlClient(new Uri("http://127.0.0.1:1"), ""));
    }
}
