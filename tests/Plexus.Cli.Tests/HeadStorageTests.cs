using Plexus.Cli.Node;

namespace Plexus.Cli.Tests;

/// <summary>Where a head's control service keeps its tables: files under its temp dir unless <c>--storage</c> says otherwise.</summary>
public sealed class HeadStorageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AHeadKeepsItsTablesInFilesUnderItsTempDirectoryByDefault()
    {
        var settings = Options(storage: null).ToControlSettings();

        Assert.Equal("file://" + Path.Combine(_directory.Path, "control"), settings.Storage);
    }

    [Fact]
    public void TheStorageGivenIsTheStorageUsed()
    {
        Assert.Equal("redis://10.0.0.5:6379/2", Options("redis://10.0.0.5:6379/2").ToControlSettings().Storage);
    }

    [Fact]
    public async Task AHeadWhoseRedisDoesNotAnswerFailsToStartNamingIt()
    {
        int redisPort = FreePort();
        var run = new CliRun(Path.Combine(_directory.Path, "default"));

        var result = await run.RunAsync(
            "start", "--head", "--block", "--dashboard-port", "0", "--node-ip", "127.0.0.1", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--temp-dir", Path.Combine(_directory.Path, "head"), "--storage", $"redis://127.0.0.1:{redisPort}");

        // The control service process fails; the head says so with the end of its log.
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("the node did not start: The control service (pid", result.Error, StringComparison.Ordinal);
        Assert.Contains($"The control service's storage at redis://127.0.0.1:{redisPort}/0 is unavailable", result.Error, StringComparison.Ordinal);
    }

    private NodeStartOptions Options(string? storage) => new()
    {
        Head = true,
        HeadAddress = null,
        Port = 6380,
        NodeIp = "127.0.0.1",
        TempDirectory = _directory.Path,
        Cpus = null,
        ObjectStoreMemory = null,
        Resources = new Dictionary<string, double>(),
        TokenFile = null,
        Storage = storage,
    };

    private static int FreePort() => ClusterStartStopTests.FreePort();
}
