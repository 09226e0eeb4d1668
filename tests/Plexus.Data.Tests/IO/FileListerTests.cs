using Plexus.Data.Files;

namespace Plexus.Data.Tests.IO;

public sealed class FileListerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void AFileIsListedAsItself()
    {
        var path = Touch("a.log", "abc");
        var entry = Assert.Single(FileLister.List(path));
        Assert.Equal(path, entry.Path);
        Assert.Equal(3, entry.Length);
        Assert.Equal(File.GetLastWriteTimeUtc(path), entry.LastWriteUtc);
    }

    [Fact]
    public void ADirectoryIsItsVisibleFilesRecursivelyInOrdinalOrder()
    {
        Touch("b.log");
        Touch("a.log");
        Touch("B.log");
        Touch("sub/c.log");
        Touch("sub/deeper/d.log");
        Touch("_temporary/run/part-000000.txt");
        Touch(".hidden");
        Touch("sub/_ignored.log");
        Touch(".git/config");

        var listed = FileLister.List(_temp.Path).Select(f => Relative(f.Path));
        Assert.Equal(["B.log", "a.log", "b.log", "sub/c.log", "sub/deeper/d.log"], listed);
    }

    [Fact]
    public void ADirectoryWithAManifestIsExactlyTheFilesItLists()
    {
        Touch("part-000000.txt");
        Touch("part-000001.txt");
        Touch("stray.txt");
        File.WriteAllBytes(SuccessManifest.PathIn(_temp.Path), new SuccessManifest("run1", null, [new("part-000001.txt", 1, 0), new("part-000000.txt", 1, 0)]).ToJson());

        Assert.Equal(["part-000000.txt", "part-000001.txt"], FileLister.List(_temp.Path).Select(f => Relative(f.Path)));
    }

    [Fact]
    public void AManifestListingAMissingFileNamesIt()
    {
        File.WriteAllBytes(SuccessManifest.PathIn(_temp.Path), new SuccessManifest("run1", null, [new("part-000007.txt", 1, 0)]).ToJson());

        var error = Assert.Throws<FileNotFoundException>(() => FileLister.List(_temp.Path));
        Assert.Contains("part-000007.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyManifestMarksTheDirectoryWithoutListingIt()
    {
        Touch("part-0.txt");
        File.WriteAllBytes(SuccessManifest.PathIn(_temp.Path), []);

        Assert.Equal(["part-0.txt"], FileLister.List(_temp.Path).Select(f => Relative(f.Path)));
    }

    [Theory]
    [InlineData("*.log", new[] { "a.log", "b.log" })]
    [InlineData("?.log", new[] { "a.log", "b.log" })]
    [InlineData("**/*.log", new[] { "a.log", "b.log", "x/c.log", "x/y/d.log" })]
    [InlineData("x/**/*.log", new[] { "x/c.log", "x/y/d.log" })]
    [InlineData("x/*/*.log", new[] { "x/y/d.log" })]
    [InlineData("*/c.*", new[] { "x/c.log" })]
    public void AGlobIsTheVisibleFilesItMatches(string pattern, string[] expected)
    {
        Touch("a.log");
        Touch("b.log");
        Touch("ab.txt");
        Touch("x/c.log");
        Touch("x/y/d.log");
        Touch("x/_d.log");
        Touch(".e.log");

        var listed = FileLister.List(Path.Combine(_temp.Path, pattern)).Select(f => Relative(f.Path));
        Assert.Equal(expected, listed);
    }

    [Fact]
    public void AMissingPathIsNamed()
    {
        var missing = Path.Combine(_temp.Path, "nope.log");
        var error = Assert.Throws<FileNotFoundException>(() => FileLister.List(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGlobUnderAMissingDirectoryNamesIt()
    {
        var missing = Path.Combine(_temp.Path, "nope");
        var error = Assert.Throws<DirectoryNotFoundException>(() => FileLister.List(Path.Combine(missing, "*.log")));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGlobMatchingNothingIsNamed()
    {
        Touch("a.log");
        var pattern = Path.Combine(_temp.Path, "*.csv");
        var error = Assert.Throws<FileNotFoundException>(() => FileLister.List(pattern));
        Assert.Contains(pattern, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private string Touch(string relative, string content = "")
    {
        var path = _temp.File(relative);
        File.WriteAllText(path, content);
        return path;
    }

    private string Relative(string path) => Path.GetRelativePath(_temp.Path, path).Replace(Path.DirectorySeparatorChar, '/');
}
