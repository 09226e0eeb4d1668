using System.Globalization;

namespace Plexus.ClusterDriver;

/// <summary>
/// <c>owner-driver-death BORROWER OWN</c>: the driver itself is the owner. It puts two 32 MiB
/// objects (in the store of its node, OWN), submits a task on OWN that never finishes, and lends all
/// three to a task on node BORROWER (<see cref="OwnerDeathScenario.BorrowAsync"/>: it reads the
/// objects, so BORROWER holds copies, writes "borrower.ready", waits on the value that never comes
/// and writes what that threw to "borrower.result"). It then writes its process id to "owner.pid"
/// and holds at checkpoint "killed", where the test kills it; it goes on only when the test did not.
/// </summary>
internal static class OwnerDriverDeathScenario
{
    private const int ObjectBytes = 32 << 20;

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var (onBorrower, onOwn) = (Scenarios.On(context.Arguments[0]) with { MaxRetries = 0 }, Scenarios.On(context.Arguments[1]) with { MaxRetries = 0 });
        List<ObjectRef<byte[]>> objects = [plexus.Put(ClusterTasks.Bytes(ObjectBytes, 1)), plexus.Put(ClusterTasks.Bytes(ObjectBytes, 2))];
        List<ObjectRef<string>> never =
        [
            plexus.Task<string, int, string>(ClusterTasks.SignalThenSleep).WithOptions(onOwn)
                .Remote(Path.Combine(context.Directory, "never.started"), 600),
        ];
        using var borrower = plexus.Task<List<ObjectRef<byte[]>>, List<ObjectRef<string>>, string, int>(OwnerDeathScenario.BorrowAsync)
            .WithOptions(onBorrower)
            .Remote(objects, never, context.Directory);
        await SharedFiles.WriteAsync(Path.Combine(context.Directory, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await context.CheckpointAsync("killed");
        GC.KeepAlive(objects);
        GC.KeepAlive(never);
        return new { Killed = false };
    }
}
