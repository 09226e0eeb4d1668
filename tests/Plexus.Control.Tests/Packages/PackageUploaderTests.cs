using Plexus.Hosting.Packages;

namespace Plexus.Control.Tests.Packages;

public sealed class PackageUploaderTests
{
    [Fact]
    public async Task ASecondUploadOfTheSameFolderSendsNoBlob()
    {
        using var store = new TempDirectory();
        using var app = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var packages = service.Service!.Packages;

        var first = await PackageUploader.UploadAsync(service.Client, app.Path, CancellationToken.None);
        long sentFirst = packages.BlobsReceived;
        var second = await PackageUploader.UploadAsync(service.Client, app.Path, CancellationToken.None);

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
        var files = AppFolder.Sample();
        AppFolder.Write(app.Path, files);
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, store.Path);
        var before = await PackageUploader.UploadAsync(service.Client, app.Path, CancellationToken.None);
        long sentBefore = service.Service!.Packages.BlobsReceived;

        File.WriteAllText(Path.Combine(app.Path, "App.dll"), "rebuilt");
        var after = await PackageUploader.UploadAsync(service.Client, app.Path, CancellationToken.None);

        Assert.Equal(sentBefore + 1, service.Service.Packages.BlobsReceived);
        Assert.NotEqual(before.Id, after.Id);
    }
}
