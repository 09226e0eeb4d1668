using System.Text.Json;

namespace Plexus.ClusterDriver;

/// <summary>
/// <c>owner-death OWNER BORROWER</c>: a task on node OWNER (the owner) puts two 32 MiB objects,
/// starts a task there that never finishes, and lends all three to a task on node BORROWER (the
/// borrower), then holds. The borrower reads both objects (so BORROWER holds copies), writes
/// "borrower.ready" in the shared directory, and waits on the value that never comes; what that
/// wait threw goes to "borrower.result" as JSON (type, message). At checkpoint "checked" the test has
/// killed OWNER and looked at the cluster.
/// </summary>
internal static class OwnerDeathScenario
{
    private const int ObjectBytes = 32 << 20;
    // Beyond this a borrower reports a hang instead of waiting for ever.
    private static readonly TimeSpan BorrowerWait = TimeSpan.FromMinutes(3);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var owner = plexus.Task<string, string, string, int>(OwnAndLend)
            .WithOptions(Scenarios.On(context.Arguments[0]) with { MaxRetries = 0 })
            .Remote(context.Directory, context.Arguments[0], context.Arguments[1]);
        await context.CheckpointAsync("checked");
        return new { Owner = await Failure.OfAsync(async () => await owner.GetAsync(TimeSpan.FromSeconds(30))) };
    }

    /// <summary>The owner: makes the objects and the value that never comes, lends them, and holds them until it dies.</summary>
    public static int OwnAndLend(string directory, string ownerNode, string borrowerNode)
    {
        var plexus = PlexusRuntime.Current;
        List<ObjectRef<byte[]>> objects = [plexus.Put(ClusterTasks.Bytes(ObjectBytes, 1)), plexus.Put(ClusterTasks.Bytes(ObjectBytes, 2))];
        List<ObjectRef<string>> never =
        [
            plexus.Task<string, int, string>(ClusterTasks.SignalThenSleep).WithOptions(Scenarios.On(ownerNode) with { MaxRetries = 0 })
                .Remote(Path.Combine(directory, "never.started"), 600),
        ];
        using var borrower = plexus.Task<List<ObjectRef<byte[]>>, List<ObjectRef<string>>, string, int>(BorrowAsync)
            .WithOptions(Scenarios.On(borrowerNode) with { MaxRetries = 0 })
            .Remote(objects, never, directory);
        Thread.Sleep(TimeSpan.FromMinutes(10));
        GC.KeepAlive(objects);
        GC.KeepAlive(never);
        return 0;
    }

    /// <summary>The borrower: reads the objects, says so, then waits on the value that never comes and writes what that threw.</summary>
    public static async Task<int> BorrowAsync(List<ObjectRef<byte[]>> objects, List<ObjectRef<string>> never, string directory)
    {
        long read = 0;
        foreach (var reference in objects)
        {
            read += (await reference.GetAsync(BorrowerWait)).Length;
        }

        await SharedFiles.WriteAsync(Path.Combine(directory, "borrower.ready"), read.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var failure = await Failure.OfAsync(async () => await never[0].GetAsync(BorrowerWait));
        await SharedFiles.WriteAsync(Path.Combine(directory, "borrower.result"), JsonSerializer.Serialize(failure, ScenarioContext.Json));
        GC.KeepAlive(objects);
        return 0;
    }
}
