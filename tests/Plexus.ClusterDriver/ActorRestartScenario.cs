using System.Diagnostics;

namespace Plexus.ClusterDriver;

/// <summary>
/// <c>actor-restart NAME</c>: creates a named actor with one restart that checkpoints every 4
/// calls, adds 1 five times, kills its worker process and adds 1 again (the restart resumes from
/// the checkpoint after the fourth call), finds it by name, then kills its worker again and calls
/// it once more (its restarts are used up). Prints the count after the restart, whether the
/// name finds the same actor, and why the last call failed.
/// </summary>
internal static class ActorRestartScenario
{
    private static readonly TimeSpan CallWait = TimeSpan.FromSeconds(90);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var options = new ActorOptions { Name = context.Arguments[0], MaxRestarts = 1, MaxTaskRetries = -1, CheckpointEvery = 4 };
        using var counter = await plexus.Actor(() => new CheckpointedCounter()).WithOptions(options).RemoteAsync();
        for (var i = 0; i < 5; i++)
        {
            await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        }

        Kill(await counter.Call(c => c.ProcessId()).GetAsync(CallWait));
        var afterRestart = await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        using var found = await plexus.GetActorAsync<CheckpointedCounter>(context.Arguments[0]);
        var sameActor = found.Id == counter.Id;

        Kill(await found.Call(c => c.ProcessId()).GetAsync(CallWait));
        ActorDiedException? died = null;
        try
        {
            await counter.Call(c => c.Add(1)).GetAsync(CallWait);
        }
        catch (ActorDiedException e)
        {
            died = e;
        }

        return new { AfterRestart = afterRestart, SameActor = sameActor, Died = died?.Message, Cause = died?.Cause.ToString() };
    }

    private static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }
}

/// <summary>A counter whose count survives restarts through its checkpoints.</summary>
public sealed class CheckpointedCounter : IActorCheckpoint<int>
{
    private int _count;

    public int Add(int amount) => _count += amount;

    public int ProcessId() => Environment.ProcessId;

    public int SaveCheckpoint() => _count;

    public void RestoreCheckpoint(int state) => _count = state;
}
