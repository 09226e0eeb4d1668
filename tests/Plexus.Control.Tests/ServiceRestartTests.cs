using Plexus.Control.Packages;
using Plexus.Control.Tests.Packages;
using Plexus.Hosting.Packages;
using RedisServer = Plexus.ClusterHosting.RedisServer;

namespace Plexus.Control.Tests;

/// <summary>A control service over durable storage, disposed and started again, recovers its nodes, jobs and named actors.</summary>
public sealed class ServiceRestartTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public Task AServiceOverAFileStoreRecoversNodesJobsAndNamedActors() =>
        AssertRestartRecoversAsync("file://" + Path.Combine(_directory.Path, "control"));

    [Fact]
    public Task AServiceOverAPlainDirectoryPathRecoversAsOverAFileUri() =>
        AssertRestartRecoversAsync(Path.Combine(_directory.Path, "control"));

    [RedisFact]
    public async Task AServiceOverRedisRecoversNodesJobsAndNamedActors()
    {
        await using var redis = await RedisServer.StartOnLoopbackAsync();

        await AssertRestartRecoversAsync(redis.Storage(database: 3));
    }

    [Fact]
    public Task AClusterWithAnotherTokenOverTheSameDirectoryStartsEmpty() =>
        AssertAnotherClusterStartsEmptyAsync(Path.Combine(_directory.Path, "control"));

    [RedisFact]
    public async Task AClusterWithAnotherTokenOverTheSameRedisStartsEmpty()
    {
        await using var redis = await RedisServer.StartOnLoopbackAsync();

        await AssertAnotherClusterStartsEmptyAsync(redis.Storage());
    }

    [Fact]
    public async Task WithFileStorageAnUploadedPackageOutlivesTheService()
    {
        string storage = Path.Combine(_directory.Path, "control");
        using var app = new TempDirectory();
        AppFolder.Write(app.Path, AppFolder.Sample());
        PackageManifest uploaded;
        await using (var first = await ControlTestCluster.StartAsync(storage: storage))
        {
            uploaded = await PackageUploader.UploadAsync(first.Client, app.Path, CancellationToken.None);
        }

        await using var restarted = await ControlTestCluster.StartAsync(storage: storage);

        var manifest = await restarted.Client.GetPackageManifestAsync(uploaded.Id);
        Assert.Equal(uploaded.Files, manifest.Files);
        Assert.Empty(await restarted.Client.MissingBlobsAsync([.. uploaded.Files.Select(f => f.Sha256)]));
        Assert.True(Directory.Exists(Path.Combine(storage, "packages")), "packages were not kept beside the tables");
    }

    private static async Task AssertAnotherClusterStartsEmptyAsync(string storage)
    {
        await using (var first = await ControlTestCluster.StartAsync(storage: storage))
        {
            await first.Client.RegisterNodeAsync(ControlTestCluster.NewId(), "tcp://127.0.0.1:4100", new Dictionary<string, double>(), pid: 11);
            await first.Client.RegisterJobAsync(ControlTestCluster.NewId(), driverPid: 12, "shop", "Shop.dll");
        }

        await using var other = await ControlTestCluster.StartAsync(storage: storage, token: "another-cluster-token");

        Assert.Empty(await other.Client.ListNodesAsync());
        Assert.Empty(await other.Client.ListJobsAsync());
    }

    private static async Task AssertRestartRecoversAsync(string storage)
    {
        byte[] node = ControlTestCluster.NewId();
        byte[] job = ControlTestCluster.NewId();
        var actor = new ActorInfo
        {
            State = ActorState.Alive,
            ActorId = [.. job, 0, 0, 0, 0, 0, 0, 0, 7],
            JobId = job,
            Namespace = "shop",
            Name = "counter",
            ClassName = "Shop.Counter",
            Detached = true,
            NodeId = node,
            OwnerNodeId = node,
            OwnerProcess = 3,
        };
        await using (var first = await ControlTestCluster.StartAsync(storage: storage))
        {
            await first.Client.RegisterNodeAsync(node, "tcp://127.0.0.1:4100", new Dictionary<string, double> { ["CPU"] = 2 }, pid: 11);
            await first.Client.RegisterJobAsync(job, driverPid: 12, "shop", "Shop.dll");
            Assert.True((await first.Client.RegisterActorAsync(actor)).Registered);
        }

        await using var restarted = await ControlTestCluster.StartAsync(storage: storage);

        var recoveredNode = await restarted.FindNodeAsync(node);
        Assert.NotNull(recoveredNode);
        Assert.Equal(NodeState.Alive, recoveredNode.State);
        Assert.Equal("tcp://127.0.0.1:4100", recoveredNode.Address);
        Assert.Contains(await restarted.Client.ListJobsAsync(), j => j.JobId.AsSpan().SequenceEqual(job));
        var found = await restarted.Client.LookupActorAsync("shop", "counter");
        Assert.NotNull(found);
        Assert.Equal(actor.ActorId, found.ActorId);
        Assert.Equal(node, found.NodeId);
        Assert.True(await restarted.Client.HeartbeatAsync(node), "the restarted service did not know the node it recovered");
    }
}
