using System.Diagnostics;
using System.Globalization;

namespace Plexus.Benchmarks.Micro;

/// <summary>Ray's actor figures (same names), on the suite's cluster: calls per second.</summary>
internal static class ActorFigures
{
    private const int Batch = 1_000;
    private const int SyncCalls = 2_000;
    private const int CallsPerCaller = 5_000;
    private const int IdleActors = 100_000;

    /// <summary>1_1_actor_calls_sync and friends: one call at a time, awaited.</summary>
    public static async Task<double> SyncAsync(PlexusRuntime plexus, bool asyncMethod)
    {
        using var actor = plexus.Actor(() => new EchoActor()).Remote();
        async Task<long> Round()
        {
            for (var i = 0; i < SyncCalls / 10; i++)
            {
                using var call = asyncMethod ? actor.Call(a => a.PingAsync()) : actor.Call(a => a.Ping());
                await call;
            }

            return SyncCalls / 10;
        }

        await Measure.WarmUpAsync(Round);
        return await Measure.RateAsync(Round);
    }

    /// <summary>1_1_actor_calls_async and friends: batches of 1,000 calls, then await them all.</summary>
    public static async Task<double> AsyncAsync(PlexusRuntime plexus, int mode, int maxConcurrency = 1, int actors = 1)
    {
        var handles = Enumerable.Range(0, actors).Select(_ => plexus.Actor(() => new EchoActor()).WithMaxConcurrency(maxConcurrency).Remote()).ToArray();
        using var argument = plexus.Put(7);
        async Task<long> Round()
        {
            var calls = new ObjectRef<int>[Batch];
            for (var i = 0; i < calls.Length; i++)
            {
                var actor = handles[i % handles.Length];
                calls[i] = mode switch
                {
                    1 => actor.Call(a => a.TakeAsync(Arg.Of(argument))),
                    2 => actor.Call(a => a.PingAsync()),
                    _ => actor.Call(a => a.Ping()),
                };
            }

            foreach (var call in calls)
            {
                await call;
                call.Dispose();
            }

            return Batch;
        }

        try
        {
            await Measure.WarmUpAsync(Round);
            return await Measure.RateAsync(Round);
        }
        finally
        {
            Array.ForEach(handles, h => h.Kill());
        }
    }

    /// <summary>n_n figures: one caller task per CPU, each calling its own actor: calls per second overall.</summary>
    public static async Task<double> ManyToManyAsync(PlexusRuntime plexus, int mode)
    {
        var callers = Environment.ProcessorCount;
        var actors = Enumerable.Range(0, callers).Select(_ => plexus.Actor(() => new EchoActor()).Remote()).ToArray();
        var caller = plexus.Task<ActorHandle<EchoActor>, int, int, int>(ActorCallers.CallAsync);
        async Task RunAsync(int calls) => await plexus.GetAsync(actors.Select(a => caller.Remote(a, calls, mode)).ToList());
        try
        {
            await Measure.WarmUpAsync(async () =>
            {
                await RunAsync(CallsPerCaller / 10);
                return 1;
            });
            return await Measure.OnceRateAsync(() => RunAsync(CallsPerCaller), callers * CallsPerCaller);
        }
        finally
        {
            Array.ForEach(actors, a => a.Kill());
        }
    }

    /// <summary>1_1_actor_calls_1mib_arg: one call at a time with a 1 MiB byte array (through shared memory).</summary>
    public static async Task<double> MebibyteArgumentAsync(PlexusRuntime plexus)
    {
        using var actor = plexus.Actor(() => new EchoActor()).Remote();
        var bytes = new byte[1 << 20];
        async Task<long> Round()
        {
            for (var i = 0; i < 20; i++)
            {
                using var call = actor.Call(a => a.TakeBytes(bytes));
                await call;
            }

            return 20;
        }

        await Measure.WarmUpAsync(Round);
        return await Measure.RateAsync(Round);
    }

    /// <summary>
    /// actor_creation_rate and idle_actor_memory_bytes: creates 100,000 actors, waits until each
    /// has answered one call, and measures the workers' resident memory before and after.
    /// </summary>
    public static async Task<(double PerSecond, double BytesPerActor)> IdleActorsAsync(PlexusRuntime plexus)
    {
        var before = WorkersResidentBytes(plexus);
        var clock = Stopwatch.StartNew();
        var actors = new ActorHandle<IdleActor>[IdleActors];
        for (var i = 0; i < actors.Length; i++)
        {
            actors[i] = await plexus.Actor(() => new IdleActor()).RemoteAsync();
        }

        var calls = actors.Select(a => a.Call(x => x.Ping())).ToList();
        await plexus.GetAsync(calls);
        var perSecond = IdleActors / clock.Elapsed.TotalSeconds;
        calls.ForEach(c => c.Dispose());
        await plexus.CollectGarbageAsync();
        var after = WorkersResidentBytes(plexus);
        await Console.Error.WriteLineAsync(
            $"{IdleActors:N0} actors created and called once in {clock.Elapsed.TotalSeconds:F1} s; workers' resident memory {before / 1e6:F0} MB -> {after / 1e6:F0} MB");
        Array.ForEach(actors, a => a.Kill());
        return (perSecond, (after - before) / (double)IdleActors);
    }

    private static long WorkersResidentBytes(PlexusRuntime plexus) =>
        plexus.WorkerProcessIds.Sum(pid => ResidentBytes(pid));

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
