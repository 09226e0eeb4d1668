using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Plexus.Control;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// `plexus submit`, `jobs`, `logs` and `stop-job` against a 2-node cluster of real processes: the
/// driver (tests/Plexus.TestDriver, its build folder as the working directory) runs on the head's
/// node and joins the cluster from there.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed partial class SubmittedJobClusterTests(SubmittedJobClusterTests.Cluster cluster, ITestOutputHelper output)
    : IClassFixture<SubmittedJobClusterTests.Cluster>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ASubmittedDriverRunsOnTheHeadsNodeItsOutputComesBackExactlyAndItIsListed()
    {
        const int lines = 40;

        var submit = await cluster.PlexusAsync("submit", "--working-dir", cluster.DriverDirectory, "--env", cluster.CacheVariable,
            "--", "dotnet", "Plexus.TestDriver.dll", "submitted", $"{lines}");

        Assert.True(submit.ExitCode == 0, submit.ToString());
        string[] expected = [.. Enumerable.Range(1, lines).Select(i => $"line {i} of {lines}"), "answer 42"];
        Assert.Equal(expected, Lines(submit.StandardOutput));
        string id = SubmissionId(submit);
        var logs = await cluster.PlexusAsync("logs", id);
        Assert.Equal(expected, Lines(logs.StandardOutput));
        var job = await cluster.JobAsync(id);
        Assert.Equal("SUCCEEDED", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("exitCode").GetInt32());
        Assert.Equal(cluster.Nodes.Head.State.NodeId, job.GetProperty("node").GetString(), ignoreCase: true);
        Assert.Contains("@", job.GetProperty("submitter").GetString(), StringComparison.Ordinal);
        Assert.Equal($"dotnet Plexus.TestDriver.dll submitted {lines}", job.GetProperty("entrypoint").GetString());
        Assert.True(job.GetProperty("durationSeconds").GetDouble() > 0, job.ToString());
        Assert.Equal(JsonValueKind.String, job.GetProperty("jobId").ValueKind);
        output.WriteLine(submit.StandardError);
    }

    [Fact]
    public async Task AFailingDriverIsListedFailedWithItsExitCodeAndSubmitExitsWithOne()
    {
        var submit = await cluster.PlexusAsync("submit", "--working-dir", cluster.DriverDirectory, "--", "dotnet", "Plexus.TestDriver.dll", "submitted-fail", "3");

        Assert.True(submit.ExitCode == 1, submit.ToString());
        Assert.Equal(["failing with 3"], Lines(submit.StandardOutput));
        var job = await cluster.JobAsync(SubmissionId(submit));
        Assert.Equal("FAILED", job.GetProperty("state").GetString());
        Assert.Equal(3, job.GetProperty("exitCode").GetInt32());
        Assert.True(job.GetProperty("durationSeconds").GetDouble() >= 0, job.ToString());
    }

    [Fact]
    public async Task StopJobEndsARunningDriverAndTheActorItCreated()
    {
        var submit = await cluster.PlexusAsync("submit", "--no-wait", "--working-dir", cluster.DriverDirectory, "--env", cluster.CacheVariable,
            "--", "dotnet", "Plexus.TestDriver.dll", "submitted-actor");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        string id = submit.StandardOutput.Trim();
        await using var control = await cluster.ControlAsync();
        await Eventually.TrueAsync(async () => (await OutputAsync(control, id)).Contains("actor 1\n", StringComparison.Ordinal), "the driver created its actor");
        Assert.NotNull(await control.LookupActorAsync("jobs", "submitted"));

        var stop = await cluster.PlexusAsync("stop-job", id);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains("STOPPED", stop.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("STOPPED", (await cluster.JobAsync(id)).GetProperty("state").GetString());
        await Eventually.TrueAsync(async () => await control.LookupActorAsync("jobs", "submitted") is null, "the job's actor is gone");
    }

    [Fact]
    public async Task LogsOfAnUnknownJobExitWithOneSayingSo()
    {
        var logs = await cluster.PlexusAsync("logs", "sub-0000000000000000");

        Assert.True(logs.ExitCode == 1, logs.ToString());
        Assert.Contains("sub-0000000000000000", logs.StandardError, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string SubmissionId(CommandOutcome submit) =>
        SubmittedLine().Match(submit.StandardError) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"No job id in {submit}");

    private static async Task<string> OutputAsync(ControlClient control, string id)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in control.ReadJobLogsAsync(id, 0, follow: false))
        {
            text.Append(chunk.Data.ToStringUtf8());
        }

        return text.ToString();
    }

    [GeneratedRegex("Submitted job (sub-[0-9a-f]+)")]
    private static partial Regex SubmittedLine();

    /// <summary>One 2-node cluster for the class, and how to run the tool against it.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TempDirectory _directory = new();
        private TestCluster? _nodes;

        internal TestCluster Nodes => _nodes ?? throw new InvalidOperationException("The cluster has not started.");

        /// <summary>The test driver's build folder: the working directory submitted.</summary>
        public string DriverDirectory { get; } = Path.GetDirectoryName(Path.GetFullPath(
            typeof(SubmittedJobClusterTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestDriver").Value!))!;

        /// <summary>PLEXUS_CACHE_DIR=... for drivers: their package hash caches stay in the test's directory.</summary>
        public string CacheVariable => $"PLEXUS_CACHE_DIR={Path.Combine(_directory.Path, "driver-cache")}";

        public async Task InitializeAsync() =>
            _nodes = await TestCluster.StartAsync([new() { Cpus = 2, ObjectStoreMemory = 128L << 20 }, new() { Cpus = 1, ObjectStoreMemory = 128L << 20 }]);

        public async Task DisposeAsync()
        {
            if (_nodes is not null)
            {
                await _nodes.DisposeAsync();
            }

            _directory.Dispose();
        }

        /// <summary>Runs `plexus ARGS --address HEAD --token-file TOKEN` from this process.</summary>
        internal Task<CommandOutcome> PlexusAsync(params string[] args)
        {
            int separator = Array.IndexOf(args, "--");
            string[] head = ["--address", Nodes.HeadAddress, "--token-file", Nodes.TokenFile];
            string[] full = separator < 0 ? [.. args, .. head] : [.. args[..separator], .. head, .. args[separator..]];
            var environment = new Dictionary<string, string> { ["PLEXUS_CACHE_DIR"] = Path.Combine(_directory.Path, "cli-cache") };
            return HostCommand.RunAsync(PlexusCli.Real().Command(full), CommandTimeout, environment);
        }

        /// <summary>The job's entry in `plexus jobs --json`.</summary>
        public async Task<JsonElement> JobAsync(string id)
        {
            var jobs = await PlexusAsync("jobs", "--json");
            Assert.True(jobs.ExitCode == 0, jobs.ToString());
            using var document = JsonDocument.Parse(jobs.StandardOutput);
            return document.RootElement.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("submissionId").GetString() == id).Clone();
        }

        internal async Task<ControlClient> ControlAsync() =>
            new(new Uri($"http://{Nodes.HeadAddress}"), (await File.ReadAllTextAsync(Nodes.TokenFile)).Trim());
    }
}
