using Plexus.Cli.Node;

namespace Plexus.Cli.Tests;

/// <summary><c>plexus start</c> in the background when its node fails before it serves.</summary>
[Slow]
public sealed class StartFailureTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task NodeThatExitsBeforeServingFailsTheStartWithTheEndOfItsLog()
    {
        var tokenFile = Path.Combine(_directory.Path, "cluster-token");
        await File.WriteAllTextAsync(tokenFile, "some-token\n");
        var nodeDirectory = Path.Combine(_directory.Path, "node");

        // Nothing serves the port of a server that has just stopped: the node cannot register.
        var stopped = await ControlServerFixture.StartAsync();
        string head = stopped.HostPort;
        await stopped.DisposeAsync();

        var result = await CliProcess.RunAsync(
            "start", "--address", head, "--token-file", tokenFile, "--node-ip", "127.0.0.1", "--temp-dir", nodeDirectory);

        var files = new NodeStateFiles(nodeDirectory);
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("before it served", result.Error, StringComparison.Ordinal);
        Assert.Contains(files.LogPath, result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(files.LogPath), "the node's output was not kept in its log");
        Assert.False(File.Exists(files.PidPath), "the failed node left its pid file");
        Assert.Null(files.FindRunningNode());
    }
}
