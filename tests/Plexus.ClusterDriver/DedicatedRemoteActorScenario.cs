namespace Plexus.ClusterDriver;

/// <summary>
/// <c>dedicated-remote</c>: an actor in a process of its own that asks the resource "fpga", which
/// only another node offers, is created and called twice. Prints what each call threw (null when it
/// was answered).
/// </summary>
internal static class DedicatedRemoteActorScenario
{
    private static readonly TimeSpan CallWait = TimeSpan.FromSeconds(60);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        using var actor = plexus.Actor(() => new Appender())
            .WithOptions(new ActorOptions { DedicatedProcess = true, Resources = new Dictionary<string, double> { ["fpga"] = 1 } }).Remote();
        var first = await Failure.OfAsync(async () => await actor.Call(a => a.ProcessId()).GetAsync(CallWait));
        var second = await Failure.OfAsync(async () => await actor.Call(a => a.ProcessId()).GetAsync(CallWait));
        return new { First = first, Second = second };
    }
}
