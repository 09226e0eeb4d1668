using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Plexus.Control.Tests;

public sealed class ServerOptionsTests
{
    // Each option, and how to make it bad (the options type is internal: theories name the option only).
    private static readonly Dictionary<string, Action<ControlServerOptions>> Spoil = new()
    {
        [nameof(ControlServerOptions.ClusterToken)] = o => o.ClusterToken = "",
        [nameof(ControlServerOptions.Port)] = o => { o.ClusterToken = ControlTestCluster.Token; o.Port = 70_000; },
        [nameof(ControlServerOptions.HeartbeatTimeout)] = o => { o.ClusterToken = ControlTestCluster.Token; o.HeartbeatTimeout = o.HeartbeatInterval; },
        [nameof(ControlServerOptions.FinishedJobsKept)] = o => { o.ClusterToken = ControlTestCluster.Token; o.FinishedJobsKept = 0; },
        [nameof(ControlServerOptions.DeadActorHistory)] = o => { o.ClusterToken = ControlTestCluster.Token; o.DeadActorHistory = -1; },
        [nameof(ControlServerOptions.Storage)] = o => { o.ClusterToken = ControlTestCluster.Token; o.Storage = "s3://bucket/control"; },
    };

    public static TheoryData<string> BadOptions => [.. Spoil.Keys];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task HostWithABadOptionFailsToStartNamingIt(string option)
    {
        var configure = Spoil[option];
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Services.AddPlexusControlServer(configure);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(ControlServerOptions), e.OptionsType);
        Assert.Contains(option, e.Message);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task StartAsyncWithABadOptionThrowsArgumentExceptionNamingIt(string option)
    {
        var configure = Spoil[option];
        var options = new ControlServerOptions();
        configure(options);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => ControlServer.StartAsync(options));

        Assert.Contains(option, e.Message);
    }

    [Fact]
    public async Task ApplicationHostServesTheControlService()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddPlexusControlServer(o => o.ClusterToken = ControlTestCluster.Token);
        await using var app = builder.Build();
        app.MapPlexusControlServer();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        await using var client = new ControlClient(address, ControlTestCluster.Token);
        byte[] nodeId = ControlTestCluster.NewId();

        Assert.True((await client.RegisterNodeAsync(nodeId, "tcp://127.0.0.1:7001", new Dictionary<string, double>(), pid: 1)).Accepted);

        Assert.Equal(nodeId, Assert.Single(await client.ListNodesAsync()).NodeId);
        await app.StopAsync();
    }
}
