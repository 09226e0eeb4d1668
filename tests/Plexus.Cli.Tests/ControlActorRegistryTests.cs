using Microsoft.Extensions.Logging;
using Plexus.Cluster;
using Plexus.Control;
using Plexus.Protocol.Messages;

namespace Plexus.Cli.Tests;

/// <summary>A node's actor names, kept by the control service: they ride out a restart of the service.</summary>
public sealed class ControlActorRegistryTests : IDisposable
{
    private const string Token = "registry-test-token";
    private const ulong NodeId = 0x1234;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ALookupIssuedWhileTheControlServiceIsDownSucceedsOnceItIsBack()
    {
        string storage = "file://" + Path.Combine(_directory.Path, "control");
        int port = ClusterStartStopTests.FreePort();
        var service = await StartServiceAsync(port, storage);
        await using var client = new ControlClient(new Uri($"http://127.0.0.1:{port}"), Token);
        await client.RegisterNodeAsync(ControlIds.Node(NodeId), "tcp:127.0.0.1:1", new Dictionary<string, double> { ["CPU"] = 1 }, pid: 1);
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using var registry = new ControlActorRegistry(client, loggerFactory.CreateLogger<ControlActorRegistryTests>());
        var counter = Counter();
        Assert.Null(await registry.RegisterAsync(counter, NodeId, held: false));
        await service.DisposeAsync();

        var lookup = registry.LookupAsync("shop", "counter").AsTask();
        await Eventually.TrueAsync(
            () => lookup.IsCompleted || logs.Entries.Any(e => e.Message.Contains("LookupActor is made again", StringComparison.Ordinal)),
            "the lookup has met the service down");
        await using var restarted = await StartServiceAsync(port, storage);

        var found = await lookup.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(counter.Id, found?.Spec.Id);
        Assert.Equal(NodeId, found?.Node);
    }

    private static Task<ControlServer> StartServiceAsync(int port, string storage) => ControlServer.StartAsync(new ControlServerOptions
    {
        Port = port,
        ClusterToken = Token,
        Storage = storage,
    });

    private static ActorSpec Counter() => new()
    {
        Id = new TaskId(new JobId(7, 8), 1),
        Owner = new ProcessAddress(NodeId, ProcessAddress.DriverProcess),
        Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 1),
        Args = [],
        Name = "counter",
        Namespace = "shop",
        Detached = true,
    };
}
