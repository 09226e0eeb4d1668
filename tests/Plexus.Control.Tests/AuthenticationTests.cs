using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
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
    public async Task GarbageFromAPeerWithoutTheTokenIsRefusedUnreadWithOneWarning()
    {
        using var log = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        await using var cluster = await ControlTestCluster.StartAsync(loggerFactory: loggerFactory);
        using var http = new HttpClient();
        // A gRPC frame header announcing 64 bytes, followed by 64 bytes that are no protobuf message.
        byte[] garbage = [0, 0, 0, 0, 64, .. Enumerable.Repeat((byte)0xFF, 64)];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.Server.Address, "/plexus.control.ControlService/RegisterNode"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(garbage) { Headers = { { "Content-Type", "application/grpc" } } },
        };

        using var response = await http.SendAsync(request);

        Assert.Equal("16", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("invalid cluster token", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error || e.Category.StartsWith("Grpc", StringComparison.Ordinal));
        Assert.Empty(await cluster.Client.ListNodesAsync());
    }

    [Fact]
    public async Task ServerRequiresAClusterToken()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ControlServer.StartAsync(new ControlServerOptions { ClusterToken = "" }));
        Assert.Throws<ArgumentException>(() => new ControlClient(new Uri("http://127.0.0.1:1"), ""));
    }
}
