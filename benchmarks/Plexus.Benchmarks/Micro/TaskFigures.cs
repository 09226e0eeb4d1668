namespace Plexus.Benchmarks.Micro;

/// <summary>
/// Figures for submitting no-op tasks, as in <c>ray microbenchmark</c>. Every ref is disposed once
/// awaited: the runtime keeps an owned object (and its task's lineage) until then.
/// </summary>
internal static class TaskFigures
{
    private const int SyncTasksPerRound = 200;
    private const int Batch = 1_000;
    private const int Clients = 4;
    private const int TasksPerClient = 10_000;

    /// <summary>Submit one task, await it, repeat: tasks per second.</summary>
    public static async Task<double> SyncAsync(PlexusRuntime plexus)
    {
        var noOp = plexus.Task<int>(NoOpTasks.Run);
        // Rounds of 200 for at least Measure.MinDuration, as 1_1_actor_calls_sync: a fixed 2,000 tasks
        // took a fifth of a second, short enough for one collection or one event report to move the figure.
        async Task<long> Round()
        {
            for (var i = 0; i < SyncTasksPerRound; i++)
            {
                using var reference = noOp.Remote();
                await reference;
            }

            return SyncTasksPerRound;
        }

        await Measure.WarmUpAsync(Round);
        return await Measure.RateAsync(Round);
    }

    /// <summary>Submit 1,000 tasks, then await them all, in rounds: tasks per second.</summary>
    public static async Task<double> AsyncAsync(PlexusRuntime plexus)
    {
        var noOp = plexus.Task<int>(NoOpTasks.Run);
        await Measure.WarmUpAsync(() => SubmitAndAwaitAsync(noOp, Batch));
        return await Measure.RateAsync(() => SubmitAndAwaitAsync(noOp, Batch));
    }

    /// <summary>Four tasks on workers, each submitting 10,000 tasks and awaiting them: tasks per second overall.</summary>
    public static async Task<double> MultiClientAsync(PlexusRuntime plexus)
    {
        var client = plexus.Task<int, int>(NoOpTasks.SubmitAndAwait);
        // Warms up the clients' workers too: the measured run is one long round.
        await Measure.WarmUpAsync(async () =>
        {
            await RunClientsAsync(plexus, client, TasksPerClient / 10);
            return 1;
        });
        return await Measure.OnceRateAsync(() => RunClientsAsync(plexus, client, TasksPerClient), Clients * TasksPerClient);
    }

    /// <summary>Submit 1,000 tasks, then get all their values: batches per second.</summary>
    public static async Task<double> GetBatchAsync(PlexusRuntime plexus)
    {
        var noOp = plexus.Task<int>(NoOpTasks.Run);
        async Task<long> OneBatch()
        {
            var refs = new ObjectRef<int>[Batch];
            for (var i = 0; i < refs.Length; i++)
            {
                refs[i] = noOp.Remote();
            }

            _ = await plexus.GetAsync(refs);
            PlexusRuntime.Free(refs);
            return 1;
        }

        await Measure.WarmUpAsync(OneBatch);
        return await Measure.RateAsync(OneBatch);
    }

    /// <summary><c>WaitAsync(refs, count: 1000)</c> over 1,000 refs of finished tasks: calls per second.</summary>
    public static async Task<double> Wait1kRefsAsync(PlexusRuntime plexus)
    {
        var noOp = plexus.Task<int>(NoOpTasks.Run);
        var refs = new ObjectRef<int>[Batch];
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = noOp.Remote();
        }

        _ = await plexus.GetAsync(refs);
        try
        {
            async Task<long> TenWaits()
            {
                for (var i = 0; i < 10; i++)
                {
                    var (ready, _) = await plexus.WaitAsync(refs, count: Batch);
                    if (ready.Count != Batch)
                    {
                        throw new InvalidOperationException($"WaitAsync returned {ready.Count} ready refs of {Batch} finished tasks.");
                    }
                }

                return 10;
            }

            await Measure.WarmUpAsync(TenWaits);
            return await Measure.RateAsync(TenWaits);
        }
        finally
        {
            PlexusRuntime.Free(refs);
        }
    }

    private static async Task<long> SubmitAndAwaitAsync(TaskBuilder<int> noOp, int count)
    {
        var refs = new ObjectRef<int>[count];
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = noOp.Remote();
        }

        foreach (var reference in refs)
        {
            await reference;
            reference.Dispose();
        }

        return count;
    }

    private static async Task RunClientsAsync(PlexusRuntime plexus, TaskBuilder<int, int> client, int tasksEach)
    {
        var clients = new ObjectRef<int>[Clients];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = client.Remote(tasksEach);
        }

        foreach (var finished in await plexus.GetAsync(clients))
        {
            if (finished != tasksEach)
            {
                throw new InvalidOperationException($"A client task finished {finished} of its {tasksEach} tasks.");
            }
        }

        PlexusRuntime.Free(clients);
    }
}
