using System.Text.Json;

namespace Plexus.Cluster.Tests;

/// <summary>
/// One run of tests/Plexus.ClusterDriver on a node of a <see cref="TestCluster"/>: its scenario's
/// result (the JSON of its "RESULT" line), and its checkpoints, files in a directory of the run's
/// own through which the test holds the job at a known point while it looks at the cluster.
/// </summary>
internal sealed class ClusterDriverRun : IDisposable
{
    private const string ResultPrefix = "RESULT ";

    private readonly TempDirectory _directory;

    // The driver process, from start to exit.
    private readonly Task<CommandOutcome> _outcome;

    private ClusterDriverRun(TempDirectory directory, Task<CommandOutcome> outcome)
    {
        _directory = directory;
        _outcome = outcome;
    }

    /// <summary>A directory the driver and the test share (files the test passes to tasks go there too).</summary>
    public string Directory => _directory.Path;

    /// <summary>
    /// Starts scenario <paramref name="scenario"/> with <paramref name="arguments"/> on node
    /// <paramref name="nodeIndex"/>'s host of <paramref name="cluster"/>, with more
    /// <paramref name="environment"/> variables; the run goes on in the background. The driver is
    /// run from <paramref name="programDirectory"/>, or tests/Plexus.ClusterDriver's build when null.
    /// </summary>
    public static ClusterDriverRun Start(
        TestCluster cluster, int nodeIndex, string scenario, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? programDirectory = null) =>
        Start(cluster, cluster.Nodes[nodeIndex].Host, scenario, arguments, environment, programDirectory);

    /// <summary>Starts scenario <paramref name="scenario"/> on <paramref name="host"/> (one with no node, say), as the other overload does.</summary>
    public static ClusterDriverRun Start(
        TestCluster cluster, NodeHost host, string scenario, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? programDirectory = null)
    {
        var directory = new TempDirectory();
        var program = BuiltPrograms.Run(
            Path.Combine(programDirectory ?? BuiltPrograms.ClusterDriverDirectory, "Plexus.ClusterDriver.dll"),
            [scenario, directory.Path, .. arguments]);
        return new ClusterDriverRun(directory, cluster.RunDriverAsync(host, program.FileName, program.Arguments, environment));
    }

    /// <summary>True once the driver has exited.</summary>
    public bool HasExited => _outcome.IsCompleted;

    /// <summary>Waits until the driver is at <paramref name="checkpoint"/>; fails at once, with its output, if it exits first.</summary>
    public async Task ReachedAsync(string checkpoint)
    {
        var reached = Path.Combine(Directory, checkpoint + ".reached");
        await Eventually.TrueAsync(
            async () => File.Exists(reached) || (HasExited ? throw new Xunit.Sdk.XunitException($"The driver exited before checkpoint {checkpoint}: {await _outcome}") : false),
            $"the driver reaches checkpoint {checkpoint}",
            TimeSpan.FromMinutes(2));
    }

    /// <summary>Lets the driver go on from <paramref name="checkpoint"/>.</summary>
    public void Go(string checkpoint) => File.WriteAllText(Path.Combine(Directory, checkpoint + ".go"), "");

    /// <summary>What the driver printed and returned, once it has exited.</summary>
    public Task<CommandOutcome> OutcomeAsync() => _outcome;

    /// <summary>The scenario's result; fails with the driver's output unless it exited with 0 and printed one.</summary>
    public async Task<JsonElement> ResultAsync()
    {
        var outcome = await _outcome;
        Assert.True(outcome.ExitCode == 0, $"The driver failed: {outcome}");
        var line = outcome.StandardOutput.Split('\n').SingleOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"The driver printed no result: {outcome}");
        using var document = JsonDocument.Parse(line[ResultPrefix.Length..]);
        return document.RootElement.Clone();
    }

    /// <summary>Removes the shared directory; the driver itself ends with its cluster, or at its timeout.</summary>
    public void Dispose() => _directory.Dispose();
}
