using System.Diagnostics;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// An actor with restarts on the victim node whose worker process is SIGKILLed: seconds from the
/// kill until a call is answered by the restarted actor (its constructor run again in a new
/// process). The median of five restarts of one actor.
/// </summary>
internal static class ActorRestartFigure
{
    private const int Restarts = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<double> MedianSecondsAsync(PlexusRuntime plexus, string victim)
    {
        var options = new ActorOptions { MaxRestarts = Restarts, MaxTaskRetries = -1, Strategy = SchedulingStrategy.NodeAffinity(victim) };
        using var actor = await plexus.Actor(() => new RestartedActor()).WithOptions(options).RemoteAsync();
        var seconds = new List<double>();
        var pid = await actor.Call(a => a.ProcessId()).GetAsync(Patience);
        for (var i = 0; i < Restarts; i++)
        {
            using (var process = Process.GetProcessById(pid))
            {
                var clock = Stopwatch.StartNew();
                process.Kill();
                var restarted = await actor.Call(a => a.ProcessId()).GetAsync(Patience);
                seconds.Add(clock.Elapsed.TotalSeconds);
                if (restarted == pid)
                {
                    throw new InvalidOperationException($"The actor answered from its killed process {pid}.");
                }

                pid = restarted;
            }
        }

        return seconds.Order().ElementAt(seconds.Count / 2);
    }
}

/// <summary>An actor that says which process it lives in.</summary>
public sealed class RestartedActor
{
    public int ProcessId() => Environment.ProcessId;
}
