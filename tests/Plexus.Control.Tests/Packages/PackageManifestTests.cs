using System.Security.Cryptography;
using Plexus.Control.Packages;

namespace Plexus.Control.Tests.Packages;

public sealed class PackageManifestTests
{
    private const string SomeHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task TheSameFilesGiveTheSameIdWhereverTheFolderIs()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(first.Path, files);
        AppFolder.Write(second.Path, files);

        var a = await PackageFolder.ScanAsync(first.Path, PackageLimits.Default, hashes: null, CancellationToken.None);
        var b = await PackageFolder.ScanAsync(second.Path, PackageLimits.Default, hashes: null, CancellationToken.None);

        Assert.Equal(a.Id, b.Id);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), a.Files.Select(f => f.Path));
        foreach (var file in a.Files)
        {
            Assert.Equal(files[file.Path].Length, file.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[file.Path])), file.Sha256);
        }

        Assert.Equal(files.Values.Sum(c => (long)c.Length), a.TotalBytes);
    }

    [Fact]
    public async Task OneChangedByteGivesAnotherId()
    {
        using var folder = new TempDirectory();
        var files = AppFolder.Sample();
        AppFolder.Write(folder.Path, files);
        var before = await PackageFolder.ScanAsync(folder.Path, PackageLimits.Default, hashes: null, CancellationToken.None);

        files["data/large.bin"][12345] ^= 1;
        AppFolder.Write(folder.Path, files);
        var after = await PackageFolder.ScanAsync(folder.Path, PackageLimits.Default, hashes: null, CancellationToken.None);

        Assert.NotEqual(before.Id, after.Id);
        Assert.Equal(
            ["data/large.bin"],
            before.Files.Zip(after.Files).Where(p => p.First.Sha256 != p.Second.Sha256).Select(p => p.First.Path));
    }

    [Fact]
    public void MovingContentToAnotherPathGivesAnotherId()
    {
        var here = PackageManifest.Create([new PackageFile("a.dll", 1, SomeHash)]);
        var there = PackageManifest.Create([new PackageFile("b.dll", 1, SomeHash)]);

        Assert.NotEqual(here.Id, there.Id);
    }

    [Fact]
    public async Task ScanLeavesOutSymbolicLinks()
    {
        using var outside = new TempDirectory();
        using var folder = new TempDirectory();
        File.WriteAllText(outside.File("secret.txt"), "not part of the application");
        File.WriteAllText(folder.File("App.dll"), "app");
        File.CreateSymbolicLink(folder.File("link.txt"), Path.Combine(outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "linked-folder"), outside.Path);

        var manifest = await PackageFolder.ScanAsync(folder.Path, PackageLimits.Default, hashes: null, CancellationToken.None);

        Assert.Equal(["App.dll"], manifest.Files.Select(f => f.Path));
    }

    [Theory]
    [InlineData(2, 1_000_000)]
    [InlineData(100, 100)]
    public async Task ScanRefusesAFolderOverTheLimits(int maxFiles, long maxTotalBytes)
    {
        using var folder = new TempDirectory();
        AppFolder.Write(folder.Path, AppFolder.Sample());

        var e = await Assert.ThrowsAsync<PackageTooLargeException>(
            () => PackageFolder.ScanAsync(folder.Path, new PackageLimits(maxFiles, maxTotalBytes), hashes: null, CancellationToken.None));

        Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"{maxFiles} files or {maxTotalBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanOfAMissingFolderSaysWhichFolder()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"plexus-tests-missing-{Guid.NewGuid():N}");

        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => PackageFolder.ScanAsync(missing, PackageLimits.Default, hashes: null, CancellationToken.None));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.dll", "files[0].path")]
    [InlineData("a/../../outside.dll", "files[0].path")]
    [InlineData("/etc/passwd", "files[0].path")]
    [InlineData("C:/Windows/win.ini", "files[0].path")]
    [InlineData("a\\..\\b.dll", "files[0].path")]
    [InlineData("a//b.dll", "files[0].path")]
    [InlineData("./a.dll", "files[0].path")]
    [InlineData("a\0.dll", "files[0].path")]
    [InlineData("", "files[0].path")]
    public void MalformedPathsAreRefusedNamingTheField(string path, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => PackageManifest.Create([new PackageFile(path, 1, SomeHash)]));

        Assert.StartsWith(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123")]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public void MalformedHashesAreRefusedNamingTheField(string sha256)
    {
        var e = Assert.Throws<ArgumentException>(() => PackageManifest.Create([new PackageFile("ok.dll", 1, SomeHash), new PackageFile("bad.dll", 1, sha256)]));

        Assert.StartsWith("files[1].sha256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APathListedTwiceIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => PackageManifest.Create([new PackageFile("a.dll", 1, SomeHash), new PackageFile("a.dll", 1, SomeHash)]));

        Assert.Contains("'a.dll' is listed twice", e.Message, StringComparison.Ordinal);
    }
}
