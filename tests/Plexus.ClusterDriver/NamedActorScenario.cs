namespace Plexus.ClusterDriver;

/// <summary>
/// <c>actor-create NAME NAMESPACE NODE</c>: creates a detached actor of that name (a counter) in
/// NAMESPACE and adds 5 to it, and a detached one of that name in its job's own namespace (named
/// without one) and adds 100 to that; then a task of its job on node NODE finds NAME without a
/// namespace and adds 1. Prints the count it saw in NAMESPACE, the node hosting that actor, and the
/// count the task saw. <c>actor-call NAME NAMESPACE</c>: finds NAME in NAMESPACE, from wherever this
/// driver runs, and adds 1, and says what looking NAME up without a namespace (in its own job's) threw;
/// prints the count it saw and the node hosting the actor. <c>actor-claim NAME NAMESPACE hold|detached</c>:
/// tries to create an actor of that name in that namespace and says whether it could (and where it
/// runs) or what it threw; <c>hold</c> keeps a non-detached one alive until checkpoint <c>claimed</c>
/// is let go, <c>detached</c> leaves a detached one behind. <c>actor-held NAME NAMESPACE</c>: creates an actor
/// of that name in that namespace asking {"fpga": 1}, which no node offers yet, reaches checkpoint <c>held</c>, then
/// adds 5 to it (awaited until a node offering fpga hosts it) and keeps it alive until checkpoint
/// <c>placed</c> is let go; prints the count and the node hosting it.
/// </summary>
internal static class NamedActorScenario
{
    public static async Task<object> CreateAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var counter = plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Name = context.Arguments[0], Namespace = context.Arguments[1], Detached = true }).Remote();
        var own = plexus.Actor(() => new Counter()).WithName(context.Arguments[0]).Detached().Remote();
        await own.Call(c => c.Add(100));
        var onNode = new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(context.Arguments[2]) };
        var fromTask = await plexus.Task(static (string name) => AddByNameAsync(name, 1)).WithOptions(onNode).Remote(context.Arguments[0]);
        return new { Count = await counter.Call(c => c.Add(5)), Node = await counter.Call(c => c.Node()), OwnFromTask = fromTask };
    }

    // Adds to the counter of that name in the job's own namespace.
    private static async Task<int> AddByNameAsync(string name, int amount) =>
        await (await PlexusRuntime.Current.GetActorAsync<Counter>(name)).Call(c => c.Add(amount));

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
        var options = new ActorOptions { Name = context.Arguments[0], Namespace = context.Arguments[1], Resources = new Dictionary<string, double> { ["fpga"] = 1 } };
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
        var counter = await plexus.GetActorAsync<Counter>(context.Arguments[0], context.Arguments[1]);
        var own = await Failure.OfAsync(() => plexus.GetActorAsync<Counter>(context.Arguments[0]));
        return new { Count = await counter.Call(c => c.Add(1)), Node = await counter.Call(c => c.Node()), Own = own };
    }
}

/// <summary>An actor that counts, and says which node hosts it.</summary>
public sealed class Counter
{
    private int _count;

    public int Add(int amount) => _count += amount;

    public string Node() => PlexusRuntime.Current.NodeId;
}
