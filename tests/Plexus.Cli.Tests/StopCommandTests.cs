namespace Plexus.Cli.Tests;

/// <summary><c>plexus stop</c> when there is nothing to stop, or only files left by a node that is gone.</summary>
public sealed class StopCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task NothingRunningIsNotAnError()
    {
        var result = await new CliRun(_directory.Path).RunAsync("stop", "--temp-dir", Path.Combine(_directory.Path, "never-started"));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("No node is running from", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingRunningInTheDefaultDirectoryIsNotAnError()
    {
        var result = await new CliRun(_directory.Path).RunAsync("stop");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"No node is running from {_directory.Path}", result.Output, StringComparison.Ordinal);
    }
}
