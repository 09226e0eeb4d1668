using System.Diagnostics;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Three nodes, a corpus, and the counts samples/WordCount writes on them without a failure (and
/// how long that run took); a killed node is replaced after each run.
/// </summary>
public sealed class WordCountRecoveryCluster : IAsyncLifetime
{
    private static readonly NodeOptions Node = new() { Cpus = 2 };

    private readonly TempDirectory _files = new();

    internal TestCluster Cluster { get; private set; } = null!;

    /// <summary>The corpus every run counts.</summary>
    public string Corpus => _files.File("corpus.txt");

    /// <summary>What the failure-free run wrote.</summary>
    public string Expected { get; private set; } = "";

    /// <summary>How long the failure-free run took, start to exit.</summary>
    public TimeSpan FailureFreeDuration { get; private set; }

    public async Task InitializeAsync()
    {
        CorpusFile.Write(Corpus, 24L << 20);
        Cluster = await TestCluster.StartAsync(Enumerable.Repeat(Node, 3).ToList());
        var started = Stopwatch.StartNew();
        var outcome = await RunAsync("failure-free.tsv");
        FailureFreeDuration = started.Elapsed;
        Assert.True(outcome.ExitCode == 0, $"The failure-free run failed: {outcome}");
        Expected = await File.ReadAllTextAsync(_files.File("failure-free.tsv"));
    }

    /// <summary>Starts WordCount on the head's host, writing its counts to <paramref name="output"/> in the fixture's folder.</summary>
    internal Task<CommandOutcome> RunAsync(string output)
    {
        var run = BuiltPrograms.Run(Path.Combine(BuiltPrograms.WordCountDirectory, "WordCount.dll"), Corpus, "--output", _files.File(output));
        return Cluster.RunDriverAsync(0, run.FileName, run.Arguments, timeout: TimeSpan.FromMinutes(4));
    }

    /// <summary>The counts a run wrote to <paramref name="output"/>.</summary>
    public Task<string> ReadAsync(string output) => File.ReadAllTextAsync(_files.File(output));

    /// <summary>Starts a node in place of a killed one.</summary>
    public Task ReplaceKilledNodeAsync() => Cluster.AddNodeAsync(Node);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _files.Dispose();
    }
}

/// <summary>
/// samples/WordCount, unchanged, with a node other than the head (which runs the driver and the
/// control service) killed at a moment a seed picks: it writes exactly the failure-free counts.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class WordCountRecoveryClusterTests(WordCountRecoveryCluster fixture, ITestOutputHelper output) : IClassFixture<WordCountRecoveryCluster>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ARandomNodeKilledAtARandomMomentLeavesTheCountsExact(int seed)
    {
        var random = new Random(seed);
        var cluster = fixture.Cluster;
        var candidates = Enumerable.Range(1, cluster.Nodes.Count - 1).Where(i => !cluster.Nodes[i].Process.HasExited).ToList();
        var victim = candidates[random.Next(candidates.Count)];
        // The kill's moment is the fault the test injects, within the failure-free run's span.
        var moment = fixture.FailureFreeDuration * (0.1 + (0.5 * random.NextDouble()));
        var outputFile = $"seed-{seed}.tsv";
        try
        {
            var run = fixture.RunAsync(outputFile);
            await Task.WhenAny(run, Task.Delay(moment));
            var killedDuringRun = !run.IsCompleted;
            await cluster.KillNodeAsync(victim);
            var outcome = await run;
            output.WriteLine($"seed {seed}: node {victim} killed after {moment.TotalSeconds:F1} s ({(killedDuringRun ? "during" : "after")} the run; failure-free run {fixture.FailureFreeDuration.TotalSeconds:F1} s)");

            Assert.True(outcome.ExitCode == 0, $"The run with node {victim} killed failed: {outcome}");
            Assert.Equal(fixture.Expected, await fixture.ReadAsync(outputFile));
        }
        finally
        {
            await fixture.ReplaceKilledNodeAsync();
        }
    }
}
