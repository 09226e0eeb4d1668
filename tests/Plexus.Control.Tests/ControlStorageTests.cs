using Plexus.Control.Storage;

namespace Plexus.Control.Tests;

/// <summary>How <see cref="ControlServerOptions.Storage"/> is read: memory, a directory, or a Redis server.</summary>
public sealed class ControlStorageTests
{
    [Theory]
    [InlineData("redis://10.0.0.5", "10.0.0.5", 6379, 0)]
    [InlineData("redis://10.0.0.5:7000", "10.0.0.5", 7000, 0)]
    [InlineData("redis://cache.local:7000/4", "cache.local", 7000, 4)]
    public void ARedisAddressGivesHostPortAndDatabase(string text, string host, int port, int database)
    {
        Assert.True(ControlStorage.TryParse(text, out var storage, out _));

        Assert.Equal(new ControlStorage.Redis(host, port, database), storage);
    }

    [Theory]
    [InlineData("file:///var/lib/plexus/control")]
    [InlineData("/var/lib/plexus/control")]
    public void AFileUriAndAPlainPathNameTheSameDirectory(string text)
    {
        Assert.True(ControlStorage.TryParse(text, out var storage, out _));

        Assert.Equal(new ControlStorage.FileDirectory("/var/lib/plexus/control"), storage);
        Assert.Equal("/var/lib/plexus/control/packages", storage.DefaultPackageDirectory);
    }

    [Fact]
    public void MemoryKeepsPackagesInATemporaryDirectory()
    {
        Assert.True(ControlStorage.TryParse("memory", out var storage, out _));

        Assert.IsType<ControlStorage.InMemory>(storage);
        Assert.Null(storage.DefaultPackageDirectory);
    }

    [Theory]
    [InlineData("s3://bucket/control", "is not 'memory'")]
    [InlineData("redis://10.0.0.5:6379/zero", "db a database number")]
    [InlineData("redis://user:secret@10.0.0.5", "PLEXUS_REDIS_PASSWORD")]
    [InlineData("file://", "names no directory")]
    [InlineData("", "is empty")]
    public void AValueThatNamesNoStorageSaysWhatToGive(string text, string explanation)
    {
        Assert.False(ControlStorage.TryParse(text, out _, out string? problem));

        Assert.Contains(explanation, problem, StringComparison.Ordinal);
    }
}
