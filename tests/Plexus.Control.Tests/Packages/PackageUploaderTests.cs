using Plexus.Control.Packages;
using Plexus.Hosting.Packages;

namespace Plexus.Control.Tests.Packages;

public sealed class PackageUploaderTests
{
    [Fact]
    public async Task ASecondUploadOfTheSameFolderSendsNoBlob()
    {
        using var store = new TempDirectory();
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var hashes = new FileHashCache(cache.Path);
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var packages = service.Service!.Packages;

        var first = await PackageUploader.UploadAsync(service.Client, app.Path, hashes, CancellationToken.None);
        long sentFirst = packages.BlobsReceived;
        var second = await PackageUploader.UploadAsync(service.Client, app.Path, hashes, CancellationToken.None);

        // Two files share their bytes, so the sample is one blob fewer than its files.
        Assert.Equal(files.Count - 1, sentFirst);
        Assert.Equal(sentFirst, packages.BlobsReceived);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Files, (await service.Client.GetPackageManifestAsync(first.Id)).Files);
    }

    [Fact]
    public async Task ANewBuildSendsOnlyTheFilesThatChanged()
    {
        using var store = new TempDirectory();
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var hashes = new FileHashCache(cache.Path);
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var before = await PackageUploader.UploadAsync(service.Client, app.Path, hashes, CancellationToken.None);
        long sentBefore = service.Service!.Packages.BlobsReceived;

        File.WriteAllText(Path.Combine(app.Path, "App.dll"), "rebuilt");
        var after = await PackageUploader.UploadAsync(service.Client, app.Path, hashes, CancellationToken.None);

        Assert.Equal(sentBefore + 1, service.Service.Packages.BlobsReceived);
        Assert.NotEqual(before.Id, after.Id);
    }

    [Fact]
    public async Task ASecondUploadOfAnUnchangedFolderReadsNoFile()
    {
        using var store = new TempDirectory();
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, DateTime.UtcNow.AddHours(-1));
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var first = await PackageUploader.UploadAsync(service.Client, app.Path, new FileHashCache(cache.Path), CancellationToken.None);

        // Other bytes in every file, stamps as they were: only a scan that reads the files sees them.
        AppFolder.ReplaceContentKeepingStamps(app.Path, files);
        var second = await PackageUploader.UploadAsync(service.Client, app.Path, new FileHashCache(cache.Path), CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task ContentTheCacheVouchedForWronglyIsReadAgainWhenTheServiceRefusesIt()
    {
        using var firstStore = new TempDirectory();
        using var secondStore = new TempDirectory();
        using var app = new TempDirectory();
        using var cache = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        AppFolder.SetLastWriteTimes(app.Path, DateTime.UtcNow.AddHours(-1));
        await using (var first = await PackageTestService.StartAsync(PackageTestService.InProcess, firstStore.Path))
        {
            await PackageUploader.UploadAsync(first.Client, app.Path, new FileHashCache(cache.Path), CancellationToken.None);
        }

        // Stamps put back, as some copying tools do: the cache vouches for the old bytes, and a
        // service that lacks them refuses the new ones under the old names.
        var replaced = AppFolder.ReplaceContentKeepingStamps(app.Path, files);
        await using var second = await PackageTestService.StartAsync(PackageTestService.InProcess, secondStore.Path);
        var uploaded = await PackageUploader.UploadAsync(second.Client, app.Path, new FileHashCache(cache.Path), CancellationToken.None);
        var rescanned = await PackageFolder.ScanAsync(app.Path, PackageLimits.Default, new FileHashCache(cache.Path), CancellationToken.None);

        var read = await PackageFolder.ScanAsync(app.Path, PackageLimits.Default, hashes: null, CancellationToken.None);
        Assert.Equal(read.Id, uploaded.Id);
        Assert.Equal(read.Files, (await second.Client.GetPackageManifestAsync(uploaded.Id)).Files);
        Assert.Equal(read.Id, rescanned.Id);
    }
}
