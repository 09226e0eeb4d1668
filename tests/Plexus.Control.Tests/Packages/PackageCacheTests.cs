using Plexus.Control.Packages;
using Plexus.Hosting.Packages;

namespace Plexus.Control.Tests.Packages;

/// <summary>A node's package cache, fed by a driver's upload: the files arrive whole, versions live side by side, and each blob is fetched once.</summary>
public sealed class PackageCacheTests
{
    [Fact]
    public async Task AnUploadedApplicationIsMaterializedByteForByteOverGrpc()
    {
        using var store = new TempDirectory();
        using var app = new TempDirectory();
        using var cacheDirectory = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        await using var service = await PackageTestService.StartAsync(PackageTestService.Grpc, store.Path);
        var manifest = await PackageUploader.UploadAsync(service.Client, app.Path, CancellationToken.None);

        // The node has a connection of its own, as it would on another machine.
        await using var nodeClient = new ControlClient(((ControlClient)service.Client).Address, ControlTestCluster.Token);
        using var cache = new PackageCache(cacheDirectory.Path, nodeClient);
        string folder = await cache.EnsureAsync(manifest.Id, CancellationToken.None);

        Assert.Equal(Path.Combine(cacheDirectory.Path, "packages", manifest.Id), folder);
        AppFolder.AssertHolds(files, folder);
        Assert.Equal(folder, await cache.EnsureAsync(manifest.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TwoVersionsOfOneAssemblyLiveSideBySide()
    {
        using var store = new TempDirectory();
        using var cacheDirectory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var version1 = AppFolder.Sample();
        var version2 = AppFolder.Sample();
        version1["Lib.dll"] = "version 1"u8.ToArray();
        version2["Lib.dll"] = "version 2"u8.ToArray();
        version2["App.dll"] = version1["App.dll"];
        var first = await UploadAsync(service.Client, version1);
        var second = await UploadAsync(service.Client, version2);
        using var cache = new PackageCache(cacheDirectory.Path, service.Client);

        string[] folders = await Task.WhenAll(cache.EnsureAsync(first.Id, CancellationToken.None), cache.EnsureAsync(second.Id, CancellationToken.None));

        Assert.NotEqual(folders[0], folders[1]);
        AppFolder.AssertHolds(version1, folders[0]);
        AppFolder.AssertHolds(version2, folders[1]);

        // App.dll is one blob for both packages, fetched once.
        int distinctBlobs = first.Files.Concat(second.Files).Select(f => f.Sha256).Distinct().Count();
        Assert.Equal(distinctBlobs, service.Service!.Packages.BlobsSent);
    }

    [Fact]
    public async Task ConcurrentCallsForOnePackageFetchEachBlobOnce()
    {
        using var store = new TempDirectory();
        using var cacheDirectory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var files = AppFolder.Sample();
        var manifest = await UploadAsync(service.Client, files);
        using var cache = new PackageCache(cacheDirectory.Path, service.Client);

        string[] folders = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.EnsureAsync(manifest.Id, CancellationToken.None))));

        Assert.Single(folders.Distinct());
        AppFolder.AssertHolds(files, folders[0]);
        Assert.Equal(manifest.Files.Select(f => f.Sha256).Distinct().Count(), service.Service!.Packages.BlobsSent);
    }

    [Fact]
    public async Task TwoCachesSharingADirectoryBothGetTheWholePackage()
    {
        using var store = new TempDirectory();
        using var cacheDirectory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var files = AppFolder.Sample();
        var manifest = await UploadAsync(service.Client, files);

        // Two processes of one machine: separate caches, one directory, racing to the same renames.
        using var first = new PackageCache(cacheDirectory.Path, service.Client);
        using var second = new PackageCache(cacheDirectory.Path, service.Client);
        string[] folders = await Task.WhenAll(
            Task.Run(() => first.EnsureAsync(manifest.Id, CancellationToken.None)),
            Task.Run(() => second.EnsureAsync(manifest.Id, CancellationToken.None)));

        Assert.Single(folders.Distinct());
        AppFolder.AssertHolds(files, folders[0]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cacheDirectory.Path, "incoming")));
    }

    [Fact]
    public async Task AnUnknownPackageFailsAndIsNotCached()
    {
        using var store = new TempDirectory();
        using var cacheDirectory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        using var cache = new PackageCache(cacheDirectory.Path, service.Client);
        string unknown = new('a', PackageValidation.Sha256HexLength);

        await Assert.ThrowsAsync<PackageNotFoundException>(() => cache.EnsureAsync(unknown, CancellationToken.None));

        Assert.False(Directory.Exists(Path.Combine(cacheDirectory.Path, "packages", unknown)));
    }

    private static async Task<PackageManifest> UploadAsync(IControlClient client, Dictionary<string, byte[]> files)
    {
        using var app = new TempDirectory();
        AppFolder.Write(app.Path, files);
        return await PackageUploader.UploadAsync(client, app.Path, CancellationToken.None);
    }
}
