namespace Plexus.Tests;

/// <summary>A store that nothing can make room in: creators get a typed error in time, and the node carries on.</summary>
[Slow]
public sealed class StoreFullTests(StoreFullCluster cluster) : IClassFixture<StoreFullCluster>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task WithNothingFreeableACreatorGetsStoreFullWithinItsTimeoutAndTheNodeStaysHealthy()
    {
        // Views pin their bytes: nothing can be spilled or freed.
        var refs = new List<ObjectRef<byte[]>>();
        var views = new List<ObjectView<byte>>();
        for (var i = 0; i < 3; i++)
        {
            refs.Add(Plexus.Put(new byte[32 << 20]));
            views.Add(await refs[^1].GetViewAsync());
        }

        try
        {
            var put = Plexus.Task<int, int>(TestFunctions.PutInTask).Remote(64 << 20);
            // The task's own failure is the store's typed error, with how much was asked and what is pinned by whom.
            var failure = await Assert.ThrowsAsync<ObjectStoreFullException>(async () => await put.GetAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains((64 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
            Assert.Contains("pinned (process 0 (the driver)", failure.Message, StringComparison.Ordinal);
            // And who owns the memory in use, so the user knows whose refs to drop.
            Assert.Contains($"by owner: process 0 (the driver) {3 * (32 << 20)} bytes in 3 objects", failure.Message, StringComparison.Ordinal);

            // The driver's own put fails the same way, typed.
            var driverFailure = Assert.Throws<ObjectStoreFullException>(() => Plexus.Put(new byte[64 << 20]));
            Assert.Contains("pinned", driverFailure.Message, StringComparison.Ordinal);

            // The node is healthy: tasks run, and once the pins go the same put succeeds.
            Assert.Equal(5, await Plexus.Task<int, int>(TestFunctions.Echo).Remote(5));
        }
        finally
        {
            views.ForEach(v => v.Dispose());
            refs.ForEach(r => r.Dispose());
        }

        Assert.Equal(64 << 20, await Plexus.Task<int, int>(TestFunctions.PutInTask).Remote(64 << 20));
    }

    [Fact]
    public async Task PutAsyncWaitsForRoomWithoutAThreadAndCanBeCancelledLeavingNothingBehind()
    {
        await Plexus.CollectGarbageAsync();
        var baseline = Plexus.StoreBytesUsed;
        var refs = new List<ObjectRef<byte[]>>();
        var views = new List<ObjectView<byte>>();
        for (var i = 0; i < 3; i++)
        {
            refs.Add(await Plexus.PutAsync(new byte[32 << 20]));
            views.Add(await refs[^1].GetViewAsync());
        }

        try
        {
            // The store's timeout is 2 s; both give up well before, cancelled.
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Plexus.PutAsync(new byte[64 << 20], cancel.Token));
            Assert.Equal("cancelled", await Plexus.Task<int, int, string>(TestFunctions.PutAsyncInTask).Remote(64 << 20, 300));
        }
        finally
        {
            views.ForEach(v => v.Dispose());
            refs.ForEach(r => r.Dispose());
        }

        Assert.Equal("stored", await Plexus.Task<int, int, string>(TestFunctions.PutAsyncInTask).Remote(64 << 20, 30_000));
        await Eventually.ValueAsync(
            async () =>
            {
                await Plexus.CollectGarbageAsync();
                return Plexus.StoreBytesUsed;
            },
            used => used == baseline,
            $"cancelled puts leave nothing behind: store usage returns to {baseline} bytes");
    }

    [Fact]
    public void AnObjectLargerThanTheWholeStoreFailsAtOnce()
    {
        var e = Assert.Throws<ObjectStoreFullException>(() => Plexus.Put(new byte[StoreFullCluster.Capacity + 1]));
        Assert.Contains("capacity", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
