using Plexus.Samples.Sort;

namespace Plexus.Data.Tests;

/// <summary>
/// Gensort records sorted by Plexus.Data and checked by the Sort sample's validator: order, record
/// count, and checksums of keys and records equal before and after. One run fits in the store; one
/// is three times the store's size and completes through spilling.
/// </summary>
[Slow]
public sealed class SortValidationTests
{
    private const ulong Seed = 97;

    [Fact]
    public async Task TwoGibibytesOfRecordsSortAndValidate()
    {
        const long bytes = 2L << 30;
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 2, StoreCapacity = 3L << 30 });

        var validation = await SortAndValidateAsync(plexus.Data(new DataOptions { TargetBlockBytes = 64L << 20 }), bytes / GensortRecord.Size);

        Assert.True(validation.IsSorted, $"out of order at record {validation.FirstUnorderedRecord}");
        Assert.Equal(Expected(bytes / GensortRecord.Size), validation.Checksum);
    }

    [Fact]
    public async Task ThreeTimesTheStoreSortsThroughSpillingWithoutAFullStore()
    {
        const long store = 256L << 20;
        const long bytes = 3 * store;
        var spillDirectory = Directory.CreateTempSubdirectory("plexus-data-spill-");
        try
        {
            await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions
            {
                Cpus = 2,
                StoreCapacity = store,
                SpillDirectory = spillDirectory.FullName,
            });
            var data = plexus.Data(new DataOptions { TargetBlockBytes = 16L << 20 });

            MemoryReport? whileReducing = null;
            var validation = await SortAndValidateAsync(data, bytes / GensortRecord.Size, async () => whileReducing ??= await plexus.GetMemoryReportAsync());

            Assert.True(validation.IsSorted, $"out of order at record {validation.FirstUnorderedRecord}");
            Assert.Equal(Expected(bytes / GensortRecord.Size), validation.Checksum);
            // When the first sorted block arrives, every map's runs wait for their reduces: twice the store at least is on disk.
            Assert.NotNull(whileReducing);
            Assert.True(whileReducing.SpilledBytes >= store, $"only {whileReducing.SpilledBytes} bytes were spilled while reducing");
        }
        finally
        {
            spillDirectory.Delete(recursive: true);
        }
    }

    private static async Task<SortValidation> SortAndValidateAsync(DataContext data, long records, Func<Task>? onBatch = null)
    {
        var validator = new SortValidator();
        await foreach (var batch in data.Generate<GensortRecord>(records, Generate).OrderBy(static r => r.Key).IterateBatchesAsync())
        {
            validator.Add(batch.Span);
            if (onBatch is not null)
            {
                await onBatch();
            }
        }

        return validator.Result;
    }

    private static RecordChecksum Expected(long records)
    {
        var checksum = default(RecordChecksum);
        var chunk = new GensortRecord[1 << 16];
        for (long first = 0; first < records; first += chunk.Length)
        {
            var rows = chunk.AsSpan(0, (int)Math.Min(chunk.Length, records - first));
            GensortGenerator.Fill(first, rows, Seed);
            checksum += RecordChecksum.Of(rows);
        }

        return checksum;
    }

    private static void Generate(long firstRecord, Span<GensortRecord> rows) => GensortGenerator.Fill(firstRecord, rows, Seed);
}
