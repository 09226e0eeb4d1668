using System.Diagnostics;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// A chain of 1 s tasks, each taking the one before it as its argument, placed on the victim node
/// (soft affinity: once the victim is gone, anywhere). Run twice: without a failure, then with the
/// victim killed half-way through. The second run's time over the first is the cost of recovery.
/// </summary>
internal static class ChainFigure
{
    public const int Links = 10;
    private const int LinkMilliseconds = 1000;
    // Half-way through the chain, and half-way through a link (links end about 0.1 s after each
    // whole second): the work lost is the average half link, not the lucky case of a kill just as
    // a link ends nor the unlucky one just after it began.
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5.5);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Seconds of the failure-free chain, then of the chain whose node was killed at 5.5 s.</summary>
    public static async Task<(double FailureFree, double Recovered)> RunAsync(PlexusRuntime plexus, string victim, int valueBytes, RecoverySignal signal)
    {
        var failureFree = await TimeChainAsync(plexus, victim, valueBytes, kill: null);
        var recovered = await TimeChainAsync(plexus, victim, valueBytes, kill: signal);
        return (failureFree, recovered);
    }

    private static async Task<double> TimeChainAsync(PlexusRuntime plexus, string victim, int valueBytes, RecoverySignal? kill)
    {
        var onVictim = new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(victim, soft: true) };
        var links = new List<ObjectRef<byte[]>>();
        var clock = Stopwatch.StartNew();
        Arg<byte[]> previous = new byte[valueBytes];
        for (var i = 0; i < Links; i++)
        {
            var link = plexus.Task<byte[], int, byte[]>(RecoveryTasks.Link).WithOptions(onVictim).Remote(previous, LinkMilliseconds);
            links.Add(link);
            previous = link;
        }

        if (kill is not null)
        {
            await Task.Delay(KillAfter);
            kill.Request(RecoverySignal.KillVictim);
        }

        // Each link's end on stderr: where a recovery spends its time.
        var ends = new List<string>();
        foreach (var link in links)
        {
            await link.GetAsync(Patience);
            ends.Add(clock.Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        }

        var last = await links[^1].GetAsync(Patience);
        var seconds = clock.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync($"chain of {valueBytes}-byte values{(kill is null ? "" : ", victim killed at 5.5 s")}: links ended at {string.Join(' ', ends)} s");
        foreach (var link in links)
        {
            link.Dispose();
        }

        if (last.Length != valueBytes || last[0] != Links)
        {
            throw new InvalidOperationException($"The chain ended with {last.Length} bytes counting {last[0]} links, not {valueBytes} bytes counting {Links}.");
        }

        return seconds;
    }
}
