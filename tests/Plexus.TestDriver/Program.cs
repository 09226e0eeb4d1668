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
//   sums NODE...: join the cluster in PLEXUS_ADDRESS; on each node named (hard affinity), and
//         spread over all, sum ranges of squares and a stored array put here; print a line per
//         task, "squares <asked node|spread> <ran on> <from> <count> <sum>" or
//         "array <asked node> <ran on> <length> <sum>", for the test to check.
//   submitted LINES: as `plexus submit` runs it (PLEXUS_ADDRESS set by the node): join the cluster,
//         have a task compute 6 * 7, print "line <i> of <LINES>" for each i, then "answer 42".
//   submitted-fail CODE: print "failing with CODE" on standard error and exit with CODE.
//   submitted-actor: join the cluster, create the actor "submitted" in namespace "jobs" (owned by
//         this driver), print "actor <its first call's answer>", then wait to be stopped.
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

    case "sums" when args.Length >= 2:
        {
            await using var plexus = await PlexusRuntime.StartAsync();
            var nodes = args[1..];
            var squares = plexus.Task(static (long from, int count) => ClusterSums.OfSquares(from, count));
            var pending = new List<(string Asked, long From, int Count, ObjectRef<NodeSum> Result)>();
            for (var i = 0; i < nodes.Length * 4; i++)
            {
                var (asked, strategy) = i < nodes.Length
                    ? (nodes[i], SchedulingStrategy.NodeAffinity(nodes[i]))
                    : ("spread", SchedulingStrategy.Spread);
                long from = i * 1_000_003L;
                pending.Add((asked, from, 10_000 + i, squares.WithOptions(new TaskOptions { Strategy = strategy }).Remote(from, 10_000 + i)));
            }

            // 2 MiB: stored, so each node reads it from this node's store.
            using var array = plexus.Put(Enumerable.Range(0, 1 << 18).Select(i => (long)i).ToArray());
            var sums = nodes.Select(node => (node, plexus.Task(static (long[] values) => ClusterSums.OfArray(values))
                .WithOptions(new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(node) }).Remote(array))).ToList();
            foreach (var (asked, from, count, result) in pending)
            {
                var sum = await result;
                Console.WriteLine($"squares {asked} {sum.Node} {from} {count} {sum.Sum}");
            }

            foreach (var (asked, result) in sums)
            {
                var sum = await result;
                Console.WriteLine($"array {asked} {sum.Node} {1 << 18} {sum.Sum}");
            }

            return 0;
        }

    case "submitted" when args.Length == 2:
        {
            await using var plexus = await PlexusRuntime.StartAsync();
            int answer = await plexus.Task(static (int x) => x * 6).Remote(7);
            int lines = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 1; i <= lines; i++)
            {
                Console.WriteLine($"line {i} of {lines}");
            }

            Console.WriteLine($"answer {answer}");
            return 0;
        }

    case "submitted-fail" when args.Length == 2:
        {
            await Console.Error.WriteLineAsync($"failing with {args[1]}");
            return int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        }

    case "submitted-actor":
        {
            await using var plexus = await PlexusRuntime.StartAsync();
            using var held = plexus.Actor(() => new SharedCounter(0)).WithName("submitted", "jobs").Remote();
            Console.WriteLine($"actor {await held.Call(c => c.Add(1))}");
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

    default:
        await Console.Error.WriteLineAsync(
            "usage: Plexus.TestDriver hold|ids|actors ADDRESS|own-actor ADDRESS|join ADDRESS|spill ROOT run|return|sums NODE...|submitted LINES|submitted-fail CODE|submitted-actor");
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

/// <summary>A sum computed by a task, and the node that ran it.</summary>
public sealed record NodeSum(string Node, long Sum);

internal static class ClusterSums
{
    public static NodeSum OfSquares(long from, int count)
    {
        long sum = 0;
        for (var i = from; i < from + count; i++)
        {
            sum += i * i;
        }

        return new NodeSum(PlexusRuntime.Current.NodeId, sum);
    }

    public static NodeSum OfArray(long[] values) => new(PlexusRuntime.Current.NodeId, values.Sum());
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
