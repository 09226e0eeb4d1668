using Plexus.Cli.Commands;
using Plexus.Cli.Node;
using Plexus.Cluster;

namespace Plexus.Cli.Tests;

/// <summary><c>plexus start --worker-idle-timeout-ms</c>: milliseconds to the node's idle stop, 0 for never; anything else is a usage error.</summary>
public sealed class WorkerIdleTimeoutTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("250", 250)]
    [InlineData("60000", 60_000)]
    public void TheFlagInMillisecondsIsTheNodesIdleTimeout(string flag, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), NodeOptionsFor("--worker-idle-timeout-ms", flag).WorkerIdleTimeout);
    }

    [Fact]
    public void ZeroKeepsEveryWorker()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, NodeOptionsFor("--worker-idle-timeout-ms", "0").WorkerIdleTimeout);
    }

    [Fact]
    public void WithoutTheFlagTheNodeKeepsItsDefault()
    {
        Assert.Equal(new Plexus.Node.NodeOptions().WorkerIdleTimeout, NodeOptionsFor().WorkerIdleTimeout);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("5s")]
    [InlineData("2147483648")]
    public async Task AValueThatIsNotMillisecondsIsAUsageErrorSayingWhatItTakes(string value)
    {
        var result = await new CliRun(Path.Combine(_directory.Path, "default")).RunAsync(
            "start", "--head", "--temp-dir", NodeDirectory, "--worker-idle-timeout-ms", value);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains($"--worker-idle-timeout-ms must be a number of milliseconds, or 0 to keep every worker, got '{value}'.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory), "a refused command line created the node directory");
    }

    [Fact]
    public void AJoiningNodeTakesItToo()
    {
        Assert.Empty(StartCommand.Create(Context()).Parse(["--address", "10.0.0.5:6380", "--worker-idle-timeout-ms", "100"]).Errors);
    }

    private string NodeDirectory => Path.Combine(_directory.Path, "node");

    // What `plexus start --head ARGS` gives the node: the flag as parsed, through the start options and the node's settings.
    private Plexus.Node.NodeOptions NodeOptionsFor(params string[] args)
    {
        var parsed = StartCommand.Create(Context()).Parse(["--head", "--temp-dir", NodeDirectory, .. args]);
        Assert.Empty(parsed.Errors);
        var options = new NodeStartOptions
        {
            Head = true,
            HeadAddress = null,
            Port = 6380,
            NodeIp = "127.0.0.1",
            TempDirectory = NodeDirectory,
            Cpus = null,
            ObjectStoreMemory = null,
            Resources = new Dictionary<string, double>(),
            TokenFile = null,
            WorkerIdleTimeout = parsed.GetValue<TimeSpan?>(WorkerIdleTimeoutOption.Name),
        };
        return ClusterNode.NodeOptionsFor(options.ToSettings("token", "127.0.0.1:6380"), (_, _) => Task.CompletedTask);
    }

    private CliContext Context() => new()
    {
        Output = TextWriter.Null,
        Error = TextWriter.Null,
        GetEnvironmentVariable = _ => null,
        DefaultTempDirectory = NodeDirectory,
    };
}
