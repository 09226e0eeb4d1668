using Plexus.Cli.Node;

namespace Plexus.Cli.Tests;

/// <summary>The head's token file: a secret, so only its owner may read it, from the moment it exists.</summary>
public sealed class ClusterTokensTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void HeadWritesANewRandomTokenReadableByItsOwnerAlone()
    {
        var files = new NodeStateFiles(_directory.Path);

        var token = ClusterTokens.CreateForHead(files, Context(new Dictionary<string, string>()));
        var again = ClusterTokens.CreateForHead(files, Context(new Dictionary<string, string>()));

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.NotEqual(token, again);
        Assert.Equal(again, File.ReadAllText(files.TokenPath).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.TokenPath));
    }

    [Fact]
    public void HeadTakesTheTokenFromTheEnvironmentWhenSet()
    {
        var files = new NodeStateFiles(_directory.Path);

        var token = ClusterTokens.CreateForHead(files, Context(new Dictionary<string, string> { ["PLEXUS_TOKEN"] = "chosen-token" }));

        Assert.Equal("chosen-token", token);
        Assert.Equal("chosen-token", File.ReadAllText(files.TokenPath).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.TokenPath));
    }

    [Fact]
    public void ATokenFileLeftOpenToOthersIsReplacedByAnOwnerOnlyOne()
    {
        var files = new NodeStateFiles(_directory.Path);
        File.WriteAllText(files.TokenPath, "old");
        File.SetUnixFileMode(files.TokenPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        ClusterTokens.CreateForHead(files, Context(new Dictionary<string, string>()));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.TokenPath));
    }

    [Fact]
    public void JoiningNodePrefersTheTokenFileToTheEnvironment()
    {
        var tokenFile = Path.Combine(_directory.Path, "token");
        File.WriteAllText(tokenFile, "from-file\n");

        var token = ClusterTokens.ReadForJoin(new FileInfo(tokenFile), Context(new Dictionary<string, string> { ["PLEXUS_TOKEN"] = "from-env" }));

        Assert.Equal("from-file", token);
    }

    [Fact]
    public void MissingTokenFileIsAUsageErrorNamingTheFile()
    {
        var missing = Path.Combine(_directory.Path, "nope");

        var error = Assert.Throws<UsageException>(() => ClusterTokens.ReadForJoin(new FileInfo(missing), Context(new Dictionary<string, string>())));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private CliContext Context(Dictionary<string, string> environment) => new()
    {
        Output = TextWriter.Null,
        Error = TextWriter.Null,
        GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
        DefaultTempDirectory = _directory.Path,
    };
}
