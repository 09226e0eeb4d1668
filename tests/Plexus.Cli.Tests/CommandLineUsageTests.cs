namespace Plexus.Cli.Tests;

/// <summary>Wrong command lines exit with 2 and say what is wrong, before anything is started or written.</summary>
public sealed class CommandLineUsageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("start", "--head", "--bogus")]
    [InlineData("stop", "--bogus")]
    [InlineData("status", "--bogus")]
    [InlineData("launch")]
    [InlineData("start", "--head", "--cpus", "many")]
    [InlineData("stop", "--grace-period", "soon")]
    [InlineData("stop", "--grace-period", "-1")]
    [InlineData("start", "--head", "--dashboard-port", "65536")]
    [InlineData("start", "--head", "--dashboard-port", "http")]
    [InlineData("start", "--address", "10.0.0.5:6380", "--dashboard-port", "8265")]
    public async Task UnknownFlagOrBadValueExitsWithUsageError(params string[] args)
    {
        var result = await Cli().RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--help' for usage", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"ssd\": \"one\"}")]
    [InlineData("{\"ssd\": -1}")]
    public async Task ResourcesThatAreNotAJsonObjectOfNumbersAreAUsageError(string resources)
    {
        var result = await Cli().RunAsync("start", "--head", "--temp-dir", NodeDirectory, "--resources", resources);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--resources must be a JSON object", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory), "a refused command line created the node directory");
    }

    [Fact]
    public async Task ResourcesCannotSetWhatHasAFlagOfItsOwn()
    {
        var result = await Cli().RunAsync("start", "--head", "--resources", "{\"CPU\": 4}");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("give it with --cpus", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start", "--head", "--address", "10.0.0.5:6380")]
    [InlineData("start")]
    [InlineData("start", "--block")]
    public async Task StartNeedsExactlyOneOfHeadAndAddress(params string[] args)
    {
        var result = await Cli().RunAsync([.. args, "--temp-dir", NodeDirectory]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("Give exactly one of --head", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory));
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--port", "70000")]
    public async Task HeadPortMustBeARealPort(params string[] args)
    {
        var result = await Cli().RunAsync(["start", "--head", .. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--port must be a port between 1 and 65535", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedAddressIsAUsageError()
    {
        var result = await Cli().RunAsync("start", "--address", "head-without-port", "--token-file", "/dev/null");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("'head-without-port' is not a control address", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/control")]
    [InlineData("redis://10.0.0.5:6379/zero")]
    [InlineData("redis://user:secret@10.0.0.5:6379")]
    [InlineData("file://")]
    [InlineData(" ")]
    public async Task StorageThatNamesNoStorageIsAUsageError(string storage)
    {
        var result = await Cli().RunAsync("start", "--head", "--temp-dir", NodeDirectory, "--storage", storage);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--storage: The storage", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory), "a refused command line created the node directory");
    }

    [Fact]
    public async Task StorageIsForTheHeadOnly()
    {
        var result = await Cli().RunAsync(
            "start", "--address", "10.0.0.5:6380", "--token-file", "/dev/null", "--temp-dir", NodeDirectory, "--storage", "memory");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--storage is where the head's control service keeps its tables: give it with --head.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory));
    }

    [Fact]
    public async Task ControlRestartDelayIsForTheHeadOnly()
    {
        var result = await Cli().RunAsync(
            "start", "--address", "10.0.0.5:6380", "--token-file", "/dev/null", "--temp-dir", NodeDirectory, "--control-restart-delay-ms", "100");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--control-restart-delay-ms is how the head restarts its control service: give it with --head.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory));
    }

    [Fact]
    public async Task ControlServiceWithoutItsTokenFileIsAUsageError()
    {
        var result = await Cli().RunAsync("control", "--port", "6380", "--node-ip", "127.0.0.1", "--temp-dir", NodeDirectory);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--token-file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--block")]
    public async Task JoiningWithoutATokenSaysWhereToGetIt(params string[] extra)
    {
        var result = await Cli().RunAsync(["start", "--address", "10.0.0.5:6380", "--temp-dir", NodeDirectory, .. extra]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--token-file", result.Error, StringComparison.Ordinal);
        Assert.Contains("PLEXUS_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.Contains("token on its machine", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NodeDirectory), "a node without a token created its directory");
    }

    [Theory]
    [InlineData("start", "--head", "--address", "--port", "--resources", "--cpus", "--object-store-memory", "--block", "--node-ip", "--temp-dir", "--token-file", "--storage", "--worker-idle-timeout-ms")]
    [InlineData("stop", "--temp-dir", "--grace-period")]
    [InlineData("status", "--json", "--address", "--token-file")]
    public async Task HelpListsEveryFlagOfTheCommand(string command, params string[] flags)
    {
        var result = await Cli().RunAsync(command, "--help");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"plexus {command} [options]", result.Output, StringComparison.Ordinal);
        Assert.All(flags, flag => Assert.Matches($@"(?m)^\s+{flag}\b", result.Output));
    }

    [Fact]
    public async Task HelpOfTheToolListsItsCommands()
    {
        var result = await Cli().RunAsync("--help");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.All(["start", "stop", "status"], command => Assert.Matches($@"(?m)^\s+{command}\s", result.Output));
    }

    private string NodeDirectory => Path.Combine(_directory.Path, "node");

    private CliRun Cli() => new(Path.Combine(_directory.Path, "default"));
}
