namespace Plexus.ClusterDriver;

/// <summary>
/// <c>actor-create NAME</c>: creates a detached actor of that name (a counter) and adds 5 to it;
/// <c>actor-call NAME</c>: finds it by name, from wherever this driver runs, and adds 1. Each prints
/// the count it saw and the node hosting the actor.
/// </summary>
internal static class NamedActorScenario
{
    public static async Task<object> CreateAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var counter = plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Name = context.Arguments[0], Detached = true }).Remote();
        return new { Count = await counter.Call(c => c.Add(5)), Node = await counter.Call(c => c.Node()) };
    }

    public static async Task<object> CallAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var counter = await plexus.GetActorAsync<Counter>(context.Arguments[0]);
        return new { Count = await counter.Call(c => c.Add(1)), Node = await counter.Call(c => c.Node()) };
    }
}

/// <summary>An actor that counts, and says which node hosts it.</summary>
public sealed class Counter
{
    private int _count;

    public int Add(int amount) => _count += amount;

    public string Node() => PlexusRuntime.Current.NodeId;
}
