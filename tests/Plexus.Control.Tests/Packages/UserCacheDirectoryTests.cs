using Plexus.Hosting.Packages;

namespace Plexus.Control.Tests.Packages;

public sealed class UserCacheDirectoryTests
{
    [Fact]
    public void PlexusCacheDirWinsOverTheDefault()
    {
        string chosen = Path.Combine(Path.GetTempPath(), "chosen-cache");

        string? found = UserCacheDirectory.Find(Variables(("PLEXUS_CACHE_DIR", chosen), ("XDG_CACHE_HOME", "/xdg-cache")));

        Assert.Equal(chosen, found);
    }

    [Fact]
    public void TheDefaultIsThePlatformsUserCache()
    {
        string? found = UserCacheDirectory.Find(Variables(("XDG_CACHE_HOME", "/xdg-cache")));

        string expected = OperatingSystem.IsLinux()
            ? "/xdg-cache/plexus"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "plexus");
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/cache")]
    public void OnLinuxAnUnsetOrRelativeXdgCacheHomeMeansTheHomeCache(string? xdgCacheHome)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string? found = UserCacheDirectory.Find(Variables(("XDG_CACHE_HOME", xdgCacheHome)));

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "plexus"), found);
    }

    private static Func<string, string?> Variables(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
