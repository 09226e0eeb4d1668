namespace Plexus.Data.Tests;

/// <summary>
/// Stateful stages on actor pools: the mapper is built once per actor and reused, pools grow under
/// load and shrink back when idle, and a killed actor's blocks are mapped again, exactly once.
/// </summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class ActorPoolTests(DataRuntime runtime)
{
    [Fact]
    public async Task AFixedPoolBuildsOneMapperPerActorAndMapsEveryBatchExactly()
    {
        var rows = await runtime.Plexus.Data().Range(20_000, blocks: 20)
            .Filter(static x => x % 2 == 0)
            .MapBatches<TaggingMapper, Tagged>(actors: 2, cpus: 0.5, batchRows: 1000)
            .Map(static t => t with { Value = t.Value + 1 })
            .ToListAsync();

        Assert.Equal(Enumerable.Range(0, 20_000).Where(x => x % 2 == 0).Select(x => x * 10L + 1), rows.Select(r => r.Value));
        var mappers = rows.GroupBy(r => r.Mapper).ToList();
        Assert.InRange(mappers.Count, 1, 2);
        // 10 000 rows in batches of at most 1000: at least 10 batches, so mappers served several each.
        Assert.True(rows.Select(r => (r.Mapper, r.Batch)).Distinct().Count() >= 10);
    }

    [Fact]
    public async Task AnAutoscaledPoolGrowsUnderLoadAndStaysWithinItsMaximum()
    {
        var rows = await runtime.Plexus.Data().Range(24, blocks: 24)
            .MapBatches<SlowTaggingMapper, Tagged>(ActorPoolSize.Autoscale(1, 3), cpus: 0.5)
            .ToListAsync();

        Assert.Equal(Enumerable.Range(0, 24).Select(x => x * 10L), rows.Select(r => r.Value));
        Assert.InRange(rows.Select(r => r.Mapper).Distinct().Count(), 2, 3);
    }

    [Fact]
    public async Task AnAutoscaledPoolShrinksToItsMinimumWhenIdleAndGivesBackItsCpus()
    {
        // Each worker has one CPU: at its maximum the pool's two actors hold them both.
        var data = runtime.Plexus.Data().Range(40, blocks: 40)
            .MapBatches<SlowTaggingMapper, Tagged>(ActorPoolSize.Autoscale(1, 2), cpus: 1);
        var rows = new List<Tagged>();
        await foreach (var row in data)
        {
            rows.Add(row);
            if (rows.Count == 10)
            {
                // The consumer pauses, so nothing more is submitted and the pool idles: once it is back
                // to one actor, a task needing a whole CPU finds one.
                Assert.Equal(2, rows.Select(r => r.Mapper).Distinct().Count());
                var task = runtime.Plexus.Task<int, int>(Echo).WithOptions(new TaskOptions { Cpus = 1 }).Remote(7);
                Assert.Equal(7, await task.GetAsync(TimeSpan.FromSeconds(60)));
            }
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(x => x * 10L), rows.Select(r => r.Value));
    }

    [Fact]
    public async Task BlocksInFlightAtAnActorKilledPastItsRestartsAreMappedAgainByANewActorExactlyOnce()
    {
        // Plexus restarts a pool's actor three times; the fourth death ends it, and the pool's executor
        // sends the blocks it held to a new actor.
        const int Kills = 4;
        var data = runtime.Plexus.Data().Range(40, blocks: 40)
            .MapBatches<SlowTaggingMapper, Tagged>(actors: 1, cpus: 0.5);
        var rows = new List<Tagged>();
        var killed = new HashSet<int>();
        await foreach (var row in data)
        {
            // The only actor has the next blocks queued (the window is two calls per actor) when it is killed.
            if (killed.Count < Kills && killed.Add(row.Process))
            {
                using var actorProcess = System.Diagnostics.Process.GetProcessById(row.Process);
                actorProcess.Kill();
            }

            rows.Add(row);
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(x => x * 10L), rows.Select(r => r.Value));
        Assert.Equal(Kills, killed.Count);
        Assert.Contains(rows, r => !killed.Contains(r.Process));
    }

    private static int Echo(int value) => value;

    public sealed record Tagged(long Value, Guid Mapper, int Batch, int Process);

    /// <summary>Tags each row with the mapper instance, its batch count and its process, so the test sees how often mappers were built and where.</summary>
    public sealed class TaggingMapper : IBatchMapper<long, Tagged>
    {
        private readonly Guid id = Guid.NewGuid();
        private int batches;

        public Tagged[] MapBatch(ReadOnlyMemory<long> batch)
        {
            batches++;
            var output = new Tagged[batch.Length];
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = new Tagged(batch.Span[i] * 10, id, batches, Environment.ProcessId);
            }

            return output;
        }
    }

    /// <summary>A mapper whose batches take a while, as a model's would: the pool has work queued long enough to grow.</summary>
    public sealed class SlowTaggingMapper : IBatchMapper<long, Tagged>
    {
        private readonly TaggingMapper inner = new();

        public Tagged[] MapBatch(ReadOnlyMemory<long> batch)
        {
            Thread.Sleep(200);
            return inner.MapBatch(batch);
        }
    }
}
