namespace Plexus.ClusterDriver;

/// <summary>
/// <c>actor-create NAME</c>: creates a detached actor of that name (a counter) and adds 5 to it;
/// <c>actor-call NAME</c>: finds it by name, from wherever this driver runs, and adds 1. Each prints
/// the count it saw and the node hosting the actor. <c>actor-claim NAME NAMESPACE hold|detached</c>:
/// tries to create an actor of that name in that namespace and says whether it could (and where it
/// runs) or what it threw; <c>hold</c> keeps a non-detached one alive until checkpoint <c>claimed</c>
/// is let go, <c>detached</c> leaves a detached one behind. <c>actor-held NAME</c>: creates an actor
/// of that name asking {"fpga": 1}, which no node offers yet, reaches checkpoint <c>held</c>, then
/// adds 5 to it (awaited until a node offering fpga hosts it) and keeps it alive until checkpoint
/// <c>placed</c> is let go; prints the count and the node hosting it.
/// </summary>
internal static class NamedActorScenario
{
    public static async Task<object> CreateAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var counter = plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Name = context.Arguments[0], Detached = true }).Remote();
        return new { Count = await counter.Call(c => c.Add(5)), Node = await counter.Call(c => c.Node()) };
    }

    public static async Task<object> ClaimAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var hold = context.Arguments[2] == "hold";
        string? node = null;
        var failure = await Failure.OfAsync(async () =>
        {
            var options = new ActorOptions { Name = context.Arguments[0], Namespace = context.Arguments[1], Detached = !hold };
            var counter = await plexus.Actor(() => new Counter()).WithOptions(options).RemoteAsync();
            node = await counter.Call(c => c.Node());
        });
        if (hold)
        {
            // Both claims are made while the first one's actor lives.
            await context.CheckpointAsync("claimed");
        }

        return new { Created = failure is null, Node = node, Failure = failure };
    }

    public static async Task<object> HeldAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var options = new ActorOptions { Name = context.Arguments[0], Resources = new Dictionary<string, double> { ["fpga"] = 1 } };
        var counter = await plexus.Actor(() => new Counter()).WithOptions(options).RemoteAsync();
        await context.CheckpointAsync("held");
        var count = await counter.Call(c => c.Add(5)).GetAsync(ResourceUseScenario.HeldWait);
        var node = await counter.Call(c => c.Node());
        // Another driver calls it by name meanwhile.
        await context.CheckpointAsync("placed");
        return new { Count = count, Node = node };
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
