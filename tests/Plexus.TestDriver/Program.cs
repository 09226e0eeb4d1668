using Plexus;

// A driver program that tests run as a separate process, to kill it or to compare two jobs.
//   hold: start a cluster, put a large object, print "READY <worker pids>", then wait to be killed.
//   ids:  run a small fixed program and print the ids it creates, one per line.
//   actors ADDRESS: join the cluster at ADDRESS, add 1 to the actor named "shared" (namespace
//         "cross") and print "shared <value>", create a detached actor "detached" and an owned one
//         "owned", call each once, then exit.
//   join ADDRESS: try to join the cluster at ADDRESS and print "joined", or "refused <exception type>: <message>".
//   spill ROOT run|return: start a cluster spilling under ROOT, hold more objects than its store
//         holds (so some are on disk), print "READY <worker pids>", then either run a task that
//         never ends and await it (to be stopped by a signal or killed) or return from Main
//         without disposing the runtime.
switch (args.FirstOrDefault())
{
    case "hold":
        {
            await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 64L << 20 });
            using var big = plexus.Put(new byte[8 << 20]);
            Console.WriteLine("READY " + string.Join(' ', plexus.WorkerProcessIds));
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

    case "ids":
        {
            await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1 });
            var put = plexus.Put(41);
            var parent = plexus.Task<int, ObjectRef<int>>(IdProgram.SubmitChild).Remote(put);
            var child = await parent;
            Console.WriteLine(put.Id);
            Console.WriteLine(parent.Id);
            Console.WriteLine(child.Id);
            Console.WriteLine(await child);
            return 0;
        }

    case "actors" when args.Length == 2:
        {
            await using var plexus = await PlexusRuntime.ConnectAsync(ClusterAddress.Parse(args[1]));
            using var shared = await plexus.GetActorAsync<SharedCounter>("shared", "cross");
            Console.WriteLine($"shared {await shared.Call(c => c.Add(1))}");
            var detached = plexus.Actor(() => new SharedCounter(0)).WithName("detached", "cross").Detached().Remote();
            var owned = plexus.Actor(() => new SharedCounter(0)).WithName("owned", "cross").Remote();
            Console.WriteLine($"created {await detached.Call(c => c.Add(1))} {await owned.Call(c => c.Add(1))}");
            return 0;
        }

    case "own-actor" when args.Length == 2:
        {
            // Creates an owned actor, says so, and holds it until killed or told to exit (a line on standard input).
            await using var plexus = await PlexusRuntime.ConnectAsync(ClusterAddress.Parse(args[1]));
            using var orphan = plexus.Actor(() => new SharedCounter(0)).WithName("orphan", "cross").Remote();
            Console.WriteLine($"created {await orphan.Call(c => c.Add(1))}");
            await Console.In.ReadLineAsync();
            return 0;
        }

    case "join" when args.Length == 2:
        {
            try
            {
                await using var plexus = await PlexusRuntime.ConnectAsync(ClusterAddress.Parse(args[1]));
                Console.WriteLine("joined");
            }
            catch (Exception e)
            {
                Console.WriteLine($"refused {e.GetType().Name}: {e.Message}");
            }

            return 0;
        }

    case "spill" when args.Length == 3:
        {
            var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 32L << 20, SpillDirectory = args[1] });
            var held = Enumerable.Range(0, 6).Select(_ => plexus.Put(new byte[8 << 20])).ToList();
            Console.WriteLine("READY " + string.Join(' ', plexus.WorkerProcessIds));
            if (args[2] == "run")
            {
                await plexus.Task(static () => LongJob.NeverEndsAsync()).Remote();
            }

            GC.KeepAlive(held);
            return 0;
        }

    default:
        await Console.Error.WriteLineAsync("usage: Plexus.TestDriver hold|ids|actors ADDRESS|own-actor ADDRESS|join ADDRESS|spill ROOT run|return");
        return 2;
}

internal static class LongJob
{
    public static async Task<int> NeverEndsAsync()
    {
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}

internal static class IdProgram
{
    public static ObjectRef<int> SubmitChild(int value) =>
        PlexusRuntime.Current.Task<int, int>(Increment).Remote(value);

    public static int Increment(int value) => value + 1;
}

/// <summary>An actor class both the tests and this driver know (the workers load it from the tests' build).</summary>
public sealed class SharedCounter(int start)
{
    private int _value = start;

    public int Add(int amount) => _value += amount;
}
