namespace Plexus.Control.Tests;

/// <summary>Heartbeat replies name the service's incarnation: the same while it runs, another once it restarted.</summary>
public sealed class ServiceIncarnationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task HeartbeatsOfARestartedServiceNameAnotherIncarnation()
    {
        string storage = "file://" + Path.Combine(_directory.Path, "control");
        byte[] node = ControlTestCluster.NewId();
        string? first;
        await using (var cluster = await ControlTestCluster.StartAsync(storage: storage))
        {
            await cluster.Client.RegisterNodeAsync(node, "tcp://127.0.0.1:4100", new Dictionary<string, double>(), pid: 11);
            Assert.True(await cluster.Client.HeartbeatAsync(node));
            first = cluster.Client.ServiceIncarnation;
            Assert.True(await cluster.Client.HeartbeatAsync(node));
            Assert.Equal(first, cluster.Client.ServiceIncarnation);
        }

        await using var restarted = await ControlTestCluster.StartAsync(storage: storage);

        Assert.True(await restarted.Client.HeartbeatAsync(node));
        Assert.NotNull(first);
        Assert.NotNull(restarted.Client.ServiceIncarnation);
        Assert.NotEqual(first, restarted.Client.ServiceIncarnation);
    }

    [Fact]
    public async Task AnInProcessServiceNamesItsIncarnationAsTheServerDoes()
    {
        await using var service = await InProcessControlService.StartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        byte[] node = ControlTestCluster.NewId();
        await service.Client.RegisterNodeAsync(node, "tcp://127.0.0.1:4100", new Dictionary<string, double>(), pid: 11);

        Assert.True(await service.Client.HeartbeatAsync(node));

        Assert.Matches("^[0-9a-f]{16}$", service.Client.ServiceIncarnation);
    }
}
