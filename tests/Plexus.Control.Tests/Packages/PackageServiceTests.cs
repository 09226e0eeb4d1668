using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Plexus.Control.Packages;
using Plexus.Control.Service;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.Packages;

/// <summary>The control service's packages through both clients: uploads that are cut or refused leave nothing, and malformed names are refused by field.</summary>
public sealed class PackageServiceTests
{
    // Several chunks, so a cut can fall in the middle of an upload.
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes((7 << 20) / 2);
    private static readonly string ContentHash = Convert.ToHexStringLower(SHA256.HashData(Content));

    [Theory]
    [InlineData(PackageTestService.Grpc, false)]
    [InlineData(PackageTestService.Grpc, true)]
    [InlineData(PackageTestService.InProcess, false)]
    [InlineData(PackageTestService.InProcess, true)]
    public async Task ACutUploadLeavesNoBlobAndARetrySucceeds(string kind, bool cancelled)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(kind, directory.Path);
        using var cancel = new CancellationTokenSource();

        var cut = new CutStream(Content, cutAfter: Content.Length / 2, cancelled ? cancel : null);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => service.Client.UploadBlobAsync(ContentHash, cut, cancel.Token));
        Assert.IsAssignableFrom(cancelled ? typeof(OperationCanceledException) : typeof(IOException), e);

        // The service notices a cut gRPC stream on its own schedule; what it received must go then.
        await Eventually.TrueAsync(() => !service.Incoming.Any(), "the cut upload's partial file is deleted");
        Assert.Equal([ContentHash], await service.Client.MissingBlobsAsync([ContentHash]));

        await service.Client.UploadBlobAsync(ContentHash, new MemoryStream(Content));

        Assert.Empty(await service.Client.MissingBlobsAsync([ContentHash]));
        Assert.Equal(Content, await DownloadAsync(service.Client, ContentHash));
    }

    [Theory]
    [InlineData(PackageTestService.Grpc)]
    [InlineData(PackageTestService.InProcess)]
    public async Task ContentThatDoesNotMatchItsNameIsRefusedAndNotStored(string kind)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(kind, directory.Path);
        byte[] tampered = (byte[])Content.Clone();
        tampered[^1] ^= 1;

        var e = await Assert.ThrowsAsync<ArgumentException>(() => service.Client.UploadBlobAsync(ContentHash, new MemoryStream(tampered)));

        Assert.Contains($"the content received for blob {ContentHash}", e.Message, StringComparison.Ordinal);
        Assert.Equal([ContentHash], await service.Client.MissingBlobsAsync([ContentHash]));
        Assert.Empty(service.Incoming);
    }

    [Fact]
    public async Task ABlobLargerThanAPackageMayBeIsRefusedMidway()
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, directory.Path, new PackageLimits(10, 1 << 20));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => service.Client.UploadBlobAsync(ContentHash, new MemoryStream(Content)));

        Assert.Contains($"blob {ContentHash} is larger than {1 << 20} bytes", e.Message, StringComparison.Ordinal);
        Assert.Empty(service.Incoming);
    }

    [Theory]
    [InlineData(PackageTestService.Grpc)]
    [InlineData(PackageTestService.InProcess)]
    public async Task RegisteringAPackageWithAMissingBlobNamesTheFile(string kind)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(kind, directory.Path);
        byte[] small = [1, 2, 3];
        string smallHash = Convert.ToHexStringLower(SHA256.HashData(small));
        await service.Client.UploadBlobAsync(smallHash, new MemoryStream(small));
        var manifest = PackageManifest.Create([new PackageFile("present.dll", small.Length, smallHash), new PackageFile("lib/absent.dll", Content.Length, ContentHash)]);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => service.Client.RegisterPackageAsync(manifest));

        Assert.Contains($"the blob of 'lib/absent.dll' ({ContentHash}) is missing", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PackageNotFoundException>(() => service.Client.GetPackageManifestAsync(manifest.Id));

        await service.Client.UploadBlobAsync(ContentHash, new MemoryStream(Content));
        Assert.Equal(manifest.Id, await service.Client.RegisterPackageAsync(manifest));
        Assert.Equal(manifest.Files, (await service.Client.GetPackageManifestAsync(manifest.Id)).Files);
    }

    [Theory]
    [InlineData(PackageTestService.Grpc)]
    [InlineData(PackageTestService.InProcess)]
    public async Task MalformedNamesAreRefusedNamingTheField(string kind)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(kind, directory.Path);
        var client = service.Client;

        await AssertRefusedAsync("sha256[1]", () => client.MissingBlobsAsync([ContentHash, "ABC"]));
        await AssertRefusedAsync("sha256", () => client.UploadBlobAsync("../../etc/passwd", new MemoryStream(Content)));
        await AssertRefusedAsync("package_id", () => client.GetPackageManifestAsync(ContentHash.ToUpperInvariant()));
        await AssertRefusedAsync("sha256", () => client.DownloadBlobAsync("not-a-hash", new MemoryStream()));
        Assert.Empty(service.Incoming);
    }

    [Theory]
    [InlineData(PackageTestService.Grpc)]
    [InlineData(PackageTestService.InProcess)]
    public async Task WhatWasNeverUploadedIsNotFound(string kind)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(kind, directory.Path);

        var blob = await Assert.ThrowsAsync<PackageNotFoundException>(() => service.Client.DownloadBlobAsync(ContentHash, new MemoryStream()));
        var package = await Assert.ThrowsAsync<PackageNotFoundException>(() => service.Client.GetPackageManifestAsync(ContentHash));

        Assert.Contains($"there is no blob {ContentHash}", blob.Message, StringComparison.Ordinal);
        Assert.Contains($"there is no package {ContentHash}", package.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/cron.d/x", "files[0].path")]
    [InlineData("/etc/cron.d/x", "files[0].path")]
    [InlineData("lib\0.dll", "files[0].path")]
    public async Task TheServiceRefusesManifestsWhosePathsLeaveThePackage(string path, string field)
    {
        using var directory = new TempDirectory();
        await using var service = await PackageTestService.StartAsync(PackageTestService.InProcess, directory.Path);
        await using var server = await ControlTestCluster.StartAsync();
        var request = new Proto.RegisterPackageRequest { Files = { new Proto.PackageFile { Path = path, Size = 1, Sha256 = ContentHash } } };

        var inProcess = await Assert.ThrowsAsync<ArgumentException>(() => service.Service!.Packages.RegisterPackageAsync(request, CancellationToken.None));
        using var channel = GrpcChannel.ForAddress(server.Server.Address);
        var raw = new Proto.ControlService.ControlServiceClient(channel);
        var token = new Metadata { { ClusterToken.HeaderName, ControlTestCluster.Token } };
        var overGrpc = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterPackageAsync(request, token).ResponseAsync);

        Assert.StartsWith(field, inProcess.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, overGrpc.StatusCode);
        Assert.Equal(inProcess.Message, overGrpc.Status.Detail);
    }

    private static async Task AssertRefusedAsync(string field, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(call);

        // The gRPC client prefixes where and what it called; the service's reason starts with the field.
        Assert.Matches($"(^|: ){System.Text.RegularExpressions.Regex.Escape(field)} ", e.Message);
    }

    private static async Task<byte[]> DownloadAsync(IControlClient client, string sha256)
    {
        using var destination = new MemoryStream();
        await client.DownloadBlobAsync(sha256, destination);
        return destination.ToArray();
    }
}
