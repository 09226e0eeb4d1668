using System.Diagnostics;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// An actor with a restart placed on the victim node (soft affinity: it may live elsewhere), whose
/// node is SIGKILLed: seconds from the kill until a call is answered by the actor built again on
/// another node. It includes what a node's death costs before anything restarts: the peers notice
/// the lost link, the control service declares the node dead, and hands the restart to a live node
/// at its next heartbeat.
/// </summary>
internal static class ActorFailoverFigure
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<double> SecondsAsync(PlexusRuntime plexus, string victim, RecoverySignal signal)
    {
        var options = new ActorOptions { MaxRestarts = 1, MaxTaskRetries = -1, Strategy = SchedulingStrategy.NodeAffinity(victim, soft: true) };
        using var actor = await plexus.Actor(() => new FailoverActor()).WithOptions(options).RemoteAsync();
        var before = await actor.Call(a => a.NodeId()).GetAsync(Patience);
        if (before != victim)
        {
            throw new InvalidOperationException($"The actor was placed on node {before}, not on the victim {victim}.");
        }

        signal.Request(RecoverySignal.KillVictim);
        await signal.WaitForAcknowledgementAsync(RecoverySignal.KillVictim, Patience);
        var clock = Stopwatch.StartNew();
        var after = await actor.Call(a => a.NodeId()).GetAsync(Patience);
        var seconds = clock.Elapsed.TotalSeconds;
        if (after == victim)
        {
            throw new InvalidOperationException($"The actor answered from the killed node {victim}.");
        }

        return seconds;
    }
}

/// <summary>An actor that says which node hosts it.</summary>
public sealed class FailoverActor
{
    public string NodeId() => PlexusRuntime.Current.NodeId;
}
