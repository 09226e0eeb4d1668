using Plexus.Control.Storage;
using RedisServer = Plexus.ClusterHosting.RedisServer;

namespace Plexus.Control.Tests;

/// <summary>The Redis store, against a real redis-server: a hash per table under the cluster's id.</summary>
public sealed class RedisControlStoreTests
{
    private const ulong ClusterId = 0x1234_5678_9abc_def1;

    [RedisFact]
    public async Task PutsReplacesAndDeletesSurviveReconnecting()
    {
        await using var redis = await RedisServer.StartOnLoopbackAsync();

        await StoreContract.AssertEntriesSurviveReopeningAsync(() => RedisControlStore.Connect("127.0.0.1", redis.Port, 0, ClusterId));
    }

    [RedisFact]
    public async Task TwoClustersSharingAServerSeeOnlyTheirOwnEntries()
    {
        await using var redis = await RedisServer.StartOnLoopbackAsync();
        await using var first = RedisControlStore.Connect("127.0.0.1", redis.Port, 0, ClusterId);
        await using var second = RedisControlStore.Connect("127.0.0.1", redis.Port, 0, ClusterId + 2);

        await first.PutAsync("nodes", "0a1b", new byte[] { 1 }, CancellationToken.None);
        await second.PutAsync("nodes", "0c2d", new byte[] { 2 }, CancellationToken.None);

        Assert.Equal("0a1b", Assert.Single(await first.GetAllAsync("nodes", CancellationToken.None)).Key);
        Assert.Equal("0c2d", Assert.Single(await second.GetAllAsync("nodes", CancellationToken.None)).Key);
        Assert.Null(await second.GetAsync("nodes", "0a1b", CancellationToken.None));
    }

    [RedisFact]
    public async Task KeysThatCouldNameAnotherEntryAreRefused()
    {
        await using var redis = await RedisServer.StartOnLoopbackAsync();
        await using var store = RedisControlStore.Connect("127.0.0.1", redis.Port, 0, ClusterId);

        await StoreContract.AssertKeysThatCouldEscapeAreRefusedAsync(store);
    }

    [Fact]
    public void AServerThatDoesNotAnswerFailsTheConnectionWithItsAddress()
    {
        int port = RedisServer.FreeLoopbackPort();

        var e = Assert.Throws<ControlStorageUnavailableException>(() => RedisControlStore.Connect("127.0.0.1", port, 0, ClusterId));

        Assert.Contains($"redis://127.0.0.1:{port}/0", e.Message, StringComparison.Ordinal);
    }
}
