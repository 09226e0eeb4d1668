namespace Plexus.Data.Tests;

/// <summary>Stateful stages on actor pools: the mapper is built once per actor and reused, and pools grow under load.</summary>
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

    public sealed record Tagged(long Value, Guid Mapper, int Batch);

    /// <summary>Tags each row with the mapper instance and its batch count, so the test sees how often mappers were built.</summary>
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
                output[i] = new Tagged(batch.Span[i] * 10, id, batches);
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
