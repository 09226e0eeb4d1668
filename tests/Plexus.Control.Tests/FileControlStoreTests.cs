using Plexus.Control.Storage;

namespace Plexus.Control.Tests;

/// <summary>The file store: one synced file per key, that a store opened later on the same directory reads back.</summary>
public sealed class FileControlStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string StoreDirectory => Path.Combine(_directory.Path, "control");

    [Fact]
    public Task PutsReplacesAndDeletesSurviveReopening() =>
        StoreContract.AssertEntriesSurviveReopeningAsync(() => FileControlStore.Open(StoreDirectory));

    [Fact]
    public async Task ALeftoverOfAnInterruptedWriteIsNeitherReadNorKept()
    {
        await using (var store = FileControlStore.Open(StoreDirectory))
        {
            await store.PutAsync("nodes", "0a1b", new byte[] { 1 }, CancellationToken.None);
        }

        // What a crash between writing the temporary file and renaming it leaves behind.
        string leftover = Path.Combine(StoreDirectory, "nodes", $"0c2d.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(leftover, [9, 9]);

        await using var reopened = FileControlStore.Open(StoreDirectory);

        var entry = Assert.Single(await reopened.GetAllAsync("nodes", CancellationToken.None));
        Assert.Equal("0a1b", entry.Key);
        Assert.Null(await reopened.GetAsync("nodes", "0c2d", CancellationToken.None));
        Assert.False(File.Exists(leftover), "the torn write's temporary file was kept");
    }

    [Fact]
    public async Task AFileThatIsNotAKeyIsNotAnEntry()
    {
        await using var store = FileControlStore.Open(StoreDirectory);
        await store.PutAsync("nodes", "0a1b", new byte[] { 1 }, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(StoreDirectory, "nodes", "0c2d.partial"), [9]);

        Assert.Equal("0a1b", Assert.Single(await store.GetAllAsync("nodes", CancellationToken.None)).Key);
    }

    [Fact]
    public async Task KeysThatCouldLeaveTheDirectoryAreRefused()
    {
        await using var store = FileControlStore.Open(StoreDirectory);

        await StoreContract.AssertKeysThatCouldEscapeAreRefusedAsync(store);

        Assert.Equal([StoreDirectory], Directory.GetFileSystemEntries(_directory.Path));
        Assert.Empty(Directory.GetFiles(StoreDirectory, "*", SearchOption.AllDirectories));
    }
}
