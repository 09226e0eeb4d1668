using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Plexus.Control.Packages;

namespace Plexus.Control.Tests.Packages;

/// <summary>
/// The hash cache a driver keeps so that an unchanged file is not read at every start. Reading is
/// proven without timing: a file whose bytes were replaced behind the cache's back (same length,
/// last write time put back) keeps its old hash only if the scan did not read it.
/// </summary>
public sealed class FileHashCacheTests
{
    // Far enough in the past for the cache to trust a stamp whatever the machine's clock says.
    private static readonly DateTime LongAgo = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ASecondScanOfAnUnchangedFolderReadsNoFile()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        var first = await ScanAsync(app.Path, new FileHashCache(cache.Path));

        AppFolder.ReplaceContentKeepingStamps(app.Path, files);
        var unread = await ScanAsync(app.Path, new FileHashCache(cache.Path));
        var read = await ScanAsync(app.Path, hashes: null);

        AssertSame(first, unread);
        Assert.NotEqual(first.Id, read.Id);
        Assert.All(
            first.Files.Zip(read.Files).Where(p => p.First.Size > 0),
            p => Assert.NotEqual(p.First.Sha256, p.Second.Sha256));
    }

    [Fact]
    public async Task ManifestsAreTheSameWithAndWithoutTheCache()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        AppFolder.Write(app.Path, AppFolder.Sample());
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);

        var withoutCache = await ScanAsync(app.Path, hashes: null);
        var coldCache = await ScanAsync(app.Path, new FileHashCache(cache.Path));
        var warmCache = await ScanAsync(app.Path, new FileHashCache(cache.Path));

        AssertSame(withoutCache, coldCache);
        AssertSame(withoutCache, warmCache);
    }

    [Fact]
    public async Task AFileWrittenAgainIsHashedAgain()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        await ScanAsync(app.Path, new FileHashCache(cache.Path));

        // The same length, so only the last write time tells the change.
        byte[] rebuilt = RandomNumberGenerator.GetBytes(files["App.dll"].Length);
        File.WriteAllBytes(Path.Combine(app.Path, "App.dll"), rebuilt);
        File.SetLastWriteTimeUtc(Path.Combine(app.Path, "App.dll"), LongAgo.AddHours(1));
        var after = await ScanAsync(app.Path, new FileHashCache(cache.Path));

        Assert.Equal(Sha256(rebuilt), after.Files.Single(f => f.Path == "App.dll").Sha256);
        AssertSame(await ScanAsync(app.Path, hashes: null), after);
    }

    [Fact]
    public async Task AFileOfAnotherLengthIsHashedAgainEvenWithItsLastWriteTimePutBack()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        AppFolder.Write(app.Path, AppFolder.Sample());
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        await ScanAsync(app.Path, new FileHashCache(cache.Path));

        File.WriteAllText(Path.Combine(app.Path, "App.deps.json"), "{\"runtimeTarget\":{\"name\":\"changed\"}}");
        File.SetLastWriteTimeUtc(Path.Combine(app.Path, "App.deps.json"), LongAgo);
        var after = await ScanAsync(app.Path, new FileHashCache(cache.Path));

        AssertSame(await ScanAsync(app.Path, hashes: null), after);
    }

    [Fact]
    public async Task AFileWrittenWithinTwoSecondsOfTheScanIsHashedAgain()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);

        // A write later in the same tick of a coarse clock would leave the stamp as it is.
        var time = new FakeTimeProvider(LongAgo.AddSeconds(1.5));
        await ScanAsync(app.Path, new FileHashCache(cache.Path, time));
        var replaced = AppFolder.ReplaceContentKeepingStamps(app.Path, files);
        var after = await ScanAsync(app.Path, new FileHashCache(cache.Path, time));

        Assert.All(after.Files, f => Assert.Equal(Sha256(replaced[f.Path]), f.Sha256));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("one byte flipped")]
    [InlineData("not a cache file")]
    public async Task ACorruptCacheIsIgnoredAndReplaced(string damage)
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        var expected = await ScanAsync(app.Path, new FileHashCache(cache.Path));
        string cacheFile = Assert.Single(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories));
        Damage(cacheFile, damage);

        var despiteDamage = await ScanAsync(app.Path, new FileHashCache(cache.Path));
        AppFolder.ReplaceContentKeepingStamps(app.Path, files);
        var fromReplacedCache = await ScanAsync(app.Path, new FileHashCache(cache.Path));

        AssertSame(expected, despiteDamage);
        AssertSame(expected, fromReplacedCache);
    }

    [Fact]
    public async Task ACacheThatCannotBeWrittenNeverFailsTheScan()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        AppFolder.Write(app.Path, AppFolder.Sample());
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        string notADirectory = cache.File("a-file");
        File.WriteAllText(notADirectory, "the cache directory's path names a file");

        var first = await ScanAsync(app.Path, new FileHashCache(notADirectory));
        var second = await ScanAsync(app.Path, new FileHashCache(notADirectory));

        AssertSame(await ScanAsync(app.Path, hashes: null), first);
        AssertSame(first, second);
    }

    [Fact]
    public async Task TheCacheKeepsOnlyTheFilesOfTheLastScan()
    {
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        AppFolder.Write(app.Path, AppFolder.Sample());
        AppFolder.SetLastWriteTimes(app.Path, LongAgo);
        var hashes = new FileHashCache(cache.Path);
        await ScanAsync(app.Path, hashes);

        File.Delete(Path.Combine(app.Path, "data/large.bin"));
        Directory.Delete(Path.Combine(app.Path, "de"), recursive: true);
        var after = await ScanAsync(app.Path, hashes);

        Assert.Equal(after.Files.Select(f => f.Path), hashes.Read(app.Path).Keys.Order(StringComparer.Ordinal));
    }

    private static Task<PackageManifest> ScanAsync(string folder, FileHashCache? hashes) =>
        PackageFolder.ScanAsync(folder, PackageLimits.Default, hashes, CancellationToken.None);

    private static void AssertSame(PackageManifest expected, PackageManifest actual)
    {
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.Id, actual.Id);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static void Damage(string file, string damage)
    {
        byte[] content = File.ReadAllBytes(file);
        switch (damage)
        {
            case "empty":
                File.WriteAllBytes(file, []);
                break;
            case "truncated":
                File.WriteAllBytes(file, content[..(content.Length / 2)]);
                break;
            case "one byte flipped":
                content[content.Length / 2] ^= 1;
                File.WriteAllBytes(file, content);
                break;
            default:
                File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(content.Length));
                break;
        }
    }
}
