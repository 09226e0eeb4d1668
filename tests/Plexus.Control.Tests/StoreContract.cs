using Plexus.Control.Storage;

namespace Plexus.Control.Tests;

/// <summary>What every durable store keeps: its entries, as the last write left them, for a store opened again on the same storage.</summary>
internal static class StoreContract
{
    /// <summary>Writes through one store, and checks through a second one opened afterwards (the first disposed) that puts, a replace and a delete all stuck.</summary>
    public static async Task AssertEntriesSurviveReopeningAsync(Func<IControlStore> open)
    {
        await using (var store = open())
        {
            await store.PutAsync("nodes", "0a1b", new byte[] { 1, 2, 3 }, CancellationToken.None);
            await store.PutAsync("nodes", "0c2d", new byte[] { 4 }, CancellationToken.None);
            await store.PutAsync("nodes", "0c2d", new byte[] { 5, 6 }, CancellationToken.None);
            await store.PutAsync("nodes", "gone", new byte[] { 7 }, CancellationToken.None);
            await store.PutAsync("jobs", "0a1b", new byte[] { 8 }, CancellationToken.None);
            Assert.True(await store.DeleteAsync("nodes", "gone", CancellationToken.None));
            Assert.False(await store.DeleteAsync("nodes", "never", CancellationToken.None));
        }

        await using var reopened = open();
        Assert.Equal(new byte[] { 1, 2, 3 }, await reopened.GetAsync("nodes", "0a1b", CancellationToken.None));
        Assert.Equal(new byte[] { 5, 6 }, await reopened.GetAsync("nodes", "0c2d", CancellationToken.None));
        Assert.Null(await reopened.GetAsync("nodes", "gone", CancellationToken.None));
        var nodes = (await reopened.GetAllAsync("nodes", CancellationToken.None)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(["0a1b", "0c2d"], nodes.Select(e => e.Key));
        Assert.Equal(new byte[] { 5, 6 }, nodes[1].Value);
        Assert.Equal(new byte[] { 8 }, Assert.Single(await reopened.GetAllAsync("jobs", CancellationToken.None)).Value);
        Assert.Empty(await reopened.GetAllAsync("actors", CancellationToken.None));
    }

    /// <summary>Keys that could name another file or key ('/', "..", the empty key) are refused before anything is written.</summary>
    public static async Task AssertKeysThatCouldEscapeAreRefusedAsync(IControlStore store)
    {
        foreach (string key in new[] { "../escape", "..", "a/b", "", ".hidden" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("nodes", key, new byte[] { 1 }, CancellationToken.None).AsTask());
            await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("nodes", key, CancellationToken.None).AsTask());
        }

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../nodes", "0a", new byte[] { 1 }, CancellationToken.None).AsTask());
        Assert.Empty(await store.GetAllAsync("nodes", CancellationToken.None));
    }
}
