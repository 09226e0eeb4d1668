using System.Text.Json;
using Google.Protobuf;
using Plexus.Protocol.Control;

namespace Plexus.Cli.Tests;

/// <summary>
/// <c>plexus submit</c>, <c>jobs</c>, <c>logs</c> and <c>stop-job</c> against a real control
/// service; the test plays the node that runs the driver (heartbeats, output, exit).
/// </summary>
public sealed class JobCommandsTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Node = [0x0c, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];

    private readonly TempDirectory _directory = new();
    private ControlServerFixture _control = null!;

    // The working directory submitted: beside the hash cache, not holding it.
    private string App => Path.Combine(_directory.Path, "app");

    public async Task InitializeAsync()
    {
        _control = await ControlServerFixture.StartAsync();
        await _control.Client.RegisterNodeAsync(Node, "tcp:127.0.0.1:7001", new Dictionary<string, double> { ["CPU"] = 1 }, pid: 1);
        Directory.CreateDirectory(App);
        File.WriteAllText(Path.Combine(App, "App.dll"), "not really an assembly");
        // Older than a scan's 2 s window for files just written: its hash is kept in the hash cache.
        File.SetLastWriteTimeUtc(Path.Combine(App, "App.dll"), DateTime.UtcNow.AddHours(-1));
    }

    public async Task DisposeAsync() => await _control.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SubmitWithNoWaitUploadsTheWorkingDirectoryAndSubmitsTheCommandWithItsEnvironment()
    {
        var result = await Cli().RunAsync("submit", "--no-wait", "--working-dir", App, "--env", "ROUNDS=3", "--env", "MODE=a=b",
            "--address", _control.HostPort, "--", "dotnet", "App.dll", "--size", "7");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var submission = Assert.Single(await _control.Client.ListSubmittedJobsAsync());
        Assert.Equal(submission.SubmissionId, result.Output.Trim());
        Assert.Equal(SubmissionState.Pending, submission.State);
        Assert.Equal(["dotnet", "App.dll", "--size", "7"], submission.Argv);
        Assert.Equal("3", submission.Env["ROUNDS"]);
        Assert.Equal("a=b", submission.Env["MODE"]);
        Assert.Contains("@", submission.Submitter, StringComparison.Ordinal);
        var manifest = await _control.Client.GetPackageManifestAsync(submission.PackageId);
        Assert.Equal(["App.dll"], manifest.Files.Select(f => f.Path));
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, "cache", "package-hashes")), "the upload's hashes were not kept in the PLEXUS_CACHE_DIR the tool was given");
    }

    [Fact]
    public async Task SubmitPrintsTheJobsOutputAndExitsWithZeroWhenItSucceeds()
    {
        var running = Cli().RunAsync("submit", "--working-dir", App, "--address", _control.HostPort, "--", "dotnet", "App.dll");
        string id = await RunAsNodeAsync(["first line\n", "second line\n"], exitCode: 0);

        var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("first line\nsecond line\n", result.Output);
        Assert.Contains(id, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitExitsWithOneWhenTheJobFails()
    {
        var running = Cli().RunAsync("submit", "--working-dir", App, "--address", _control.HostPort, "--", "dotnet", "App.dll");
        await RunAsNodeAsync(["boom\n"], exitCode: 3);

        var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Equal("boom\n", result.Output);
        Assert.Contains("FAILED", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsJsonListsEachJobWithStateSubmitterEntrypointDurationExitCodeAndNode()
    {
        var submit = Cli().RunAsync("submit", "--working-dir", App, "--address", _control.HostPort, "--", "dotnet", "App.dll", "two words");
        string id = await RunAsNodeAsync(["x\n"], exitCode: 0);
        await submit;

        var result = await Cli().RunAsync("jobs", "--json", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var job = Assert.Single(document.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal(id, job.GetProperty("submissionId").GetString());
        Assert.Equal("SUCCEEDED", job.GetProperty("state").GetString());
        Assert.Equal("dotnet App.dll 'two words'", job.GetProperty("entrypoint").GetString());
        Assert.Contains("@", job.GetProperty("submitter").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, job.GetProperty("exitCode").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(Node), job.GetProperty("node").GetString());
        Assert.True(job.GetProperty("durationSeconds").GetDouble() >= 0);
        Assert.True(job.GetProperty("endUnixMs").GetInt64() >= job.GetProperty("startUnixMs").GetInt64());
        Assert.Equal(2, job.GetProperty("outputBytes").GetInt64());
    }

    [Fact]
    public async Task LogsPrintsTheJobsOutput()
    {
        var submit = Cli().RunAsync("submit", "--working-dir", App, "--address", _control.HostPort, "--", "dotnet", "App.dll");
        string id = await RunAsNodeAsync(["one\n", "two\n"], exitCode: 0);
        await submit;

        var result = await Cli().RunAsync("logs", id, "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("one\ntwo\n", result.Output);
    }

    [Fact]
    public async Task StopJobOfAPendingJobStopsIt()
    {
        var submit = await Cli().RunAsync("submit", "--no-wait", "--working-dir", App, "--address", _control.HostPort, "--", "dotnet", "App.dll");
        string id = submit.Output.Trim();

        var result = await Cli().RunAsync("stop-job", id, "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("STOPPED", result.Output, StringComparison.Ordinal);
        Assert.Equal(SubmissionState.Stopped, Assert.Single(await _control.Client.ListSubmittedJobsAsync()).State);
    }

    [Theory]
    [InlineData("logs")]
    [InlineData("stop-job")]
    public async Task AnUnknownJobExitsWithOneSayingSo(string command)
    {
        var result = await Cli().RunAsync(command, "sub-0123456789abcdef", "--address", _control.HostPort);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("sub-0123456789abcdef", result.Error, StringComparison.Ordinal);
        Assert.Contains("plexus jobs", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submit", "--env", "NOEQUALS", "--", "dotnet")]
    [InlineData("submit", "--bogus", "--", "dotnet")]
    [InlineData("submit")]
    [InlineData("logs")]
    [InlineData("jobs", "--bogus")]
    [InlineData("stop-job")]
    public async Task AWrongCommandLineExitsWithTwo(params string[] args)
    {
        var result = await Cli().RunAsync([.. args, "--address", _control.HostPort]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    private CliRun Cli() => new CliRun(_directory.Path).WithVariable("PLEXUS_TOKEN", ControlServerFixture.Token)
        .WithVariable("PLEXUS_CACHE_DIR", Path.Combine(_directory.Path, "cache"));

    // What a node does with a submitted driver: takes it at a heartbeat, sends its output, reports its exit.
    private async Task<string> RunAsNodeAsync(IReadOnlyList<string> lines, int exitCode)
    {
        string? id = null;
        await Eventually.TrueAsync(async () =>
            (id = (await _control.Client.HeartbeatAsync(Node, null, null, null, CancellationToken.None)).DriversToStart.FirstOrDefault()?.SubmissionId) is not null,
            "the job was submitted and handed to the node");
        long offset = 0;
        foreach (var line in lines)
        {
            offset = await _control.Client.AppendJobOutputAsync(id!, Node, offset, System.Text.Encoding.UTF8.GetBytes(line));
        }

        await _control.Client.ReportJobExitAsync(new ReportJobExitRequest { SubmissionId = id, NodeId = ByteString.CopyFrom(Node), HasExitCode = true, ExitCode = exitCode });
        return id!;
    }
}
