using System.Diagnostics;
using System.Runtime.CompilerServices;
using Plexus.Hosting;

namespace Plexus.Benchmarks.Micro;

/// <summary>
/// Figures for freeing, spilling and restoring objects. Freeing runs on the suite's cluster; the
/// pressure figures start their own cluster with a 1 GiB store and write 3 GiB through it.
/// </summary>
internal static class MemoryFigures
{
    private const int BatchObjects = 1_000;
    private const int BatchObjectBytes = 128 << 10;
    private const long PressureStore = 1L << 30;
    private const int PressureObjectBytes = 64 << 20;
    private const int PressureObjects = (int)(3 * PressureStore / PressureObjectBytes);

    /// <summary>
    /// object_out_of_scope_1k_batch: put 1,000 objects of 128 KiB (in the store), drop them all
    /// with Dispose, and time from the first drop until the node has freed the last: objects per second.
    /// </summary>
    public static Task<double> OutOfScopeBatchAsync(PlexusRuntime plexus) =>
        FreeRateAsync(plexus, value =>
        {
            var refs = new ObjectRef<byte[]>[BatchObjects];
            for (var i = 0; i < refs.Length; i++)
            {
                refs[i] = plexus.Put(value);
            }

            return () =>
            {
                foreach (var reference in refs)
                {
                    reference.Dispose();
                }

                return Task.CompletedTask;
            };
        });

    /// <summary>
    /// The same batch dropped without Dispose: the handles go when the garbage collector finds
    /// them, here asked for at once (<c>CollectGarbageAsync</c>). Objects per second.
    /// </summary>
    public static Task<double> OutOfScopeBatchCollectedAsync(PlexusRuntime plexus) =>
        FreeRateAsync(plexus, value =>
        {
            PutAndDrop(plexus, value, BatchObjects);
            return plexus.CollectGarbageAsync;
        });

    // `putThenDrop` puts a batch and returns how to drop it; the clock runs from the drop until
    // the node's store holds no more objects than before the batch.
    private static async Task<double> FreeRateAsync(PlexusRuntime plexus, Func<byte[], Func<Task>> putThenDrop)
    {
        var value = new byte[BatchObjectBytes];
        var seconds = 0.0;
        long freed = 0;
        async Task<long> Round()
        {
            var baseline = plexus.StoreObjectCount;
            var drop = putThenDrop(value);
            var start = Stopwatch.GetTimestamp();
            await drop();
            await WaitForAsync(() => plexus.StoreObjectCount <= baseline);
            seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            freed += BatchObjects;
            return BatchObjects;
        }

        await Measure.WarmUpAsync(Round);
        (seconds, freed) = (0, 0);
        await Measure.RateAsync(Round);
        return freed / seconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PutAndDrop(PlexusRuntime plexus, byte[] value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = plexus.Put(value);
        }
    }

    /// <summary>What writing 3 GiB through a 1 GiB store measures, in GB per second.</summary>
    public sealed record PressureFigures(
        double PutNoPressure, double PutDroppedUnderPressure, double PutHeldUnderPressure, double Spill, double Restore, double ReadBack,
        Limits.DiskLimit.Figures Disk);

    public static async Task<PressureFigures> PressureAsync()
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { StoreCapacity = PressureStore });
        var node = EmbeddedCluster.Of(plexus)?.Node ?? throw new InvalidOperationException("The pressure figures need an embedded cluster.");
        var value = GC.AllocateUninitializedArray<byte>(PressureObjectBytes);
        new Random(5).NextBytes(value);
        const long total = (long)PressureObjects * PressureObjectBytes;

        // Warm-up: the first pass through the store pays for faulting its pages in (about 0.9 GB/s here).
        await Task.Run(() => PutAndDrop(plexus, value, PressureObjects));
        await plexus.CollectGarbageAsync();

        // Each object disposed at once: the store never fills.
        var noPressure = await GigabytesAsync(total, () =>
        {
            for (var i = 0; i < PressureObjects; i++)
            {
                plexus.Put(value).Dispose();
            }
        });

        // Each object dropped without Dispose: the store fills, and the node has owners collect.
        var dropped = await GigabytesAsync(total, () => PutAndDrop(plexus, value, PressureObjects));
        await plexus.CollectGarbageAsync();

        // What the disk takes right now, for as many bytes as are about to be spilled.
        var disk = Limits.DiskLimit.Measure(total - PressureStore);

        // Every object kept: two thirds must be spilled to make room.
        var (spilledBefore, spillSecondsBefore) = (node.BytesSpilled, node.SpillSeconds);
        var held = new List<ObjectRef<byte[]>>(PressureObjects);
        var heldRate = await GigabytesAsync(total, () =>
        {
            for (var i = 0; i < PressureObjects; i++)
            {
                held.Add(plexus.Put(value));
            }
        });
        var spill = (node.BytesSpilled - spilledBefore) / (node.SpillSeconds - spillSecondsBefore) / 1e9;

        // Read every object back through a view: the spilled ones are restored.
        var (restoredBefore, restoreSecondsBefore) = (node.BytesRestored, node.RestoreSeconds);
        var clock = Stopwatch.StartNew();
        foreach (var reference in held)
        {
            using var view = await reference.GetViewAsync();
            if (view.Memory.Length != PressureObjectBytes)
            {
                throw new InvalidOperationException($"{reference} came back with {view.Memory.Length} bytes.");
            }
        }

        var readBack = total / clock.Elapsed.TotalSeconds / 1e9;
        var restore = (node.BytesRestored - restoredBefore) / (node.RestoreSeconds - restoreSecondsBefore) / 1e9;
        PlexusRuntime.Free([.. held]);
        return new PressureFigures(noPressure, dropped, heldRate, spill, restore, readBack, disk);
    }

    private static async Task<double> GigabytesAsync(double bytes, Action run)
    {
        var clock = Stopwatch.StartNew();
        await Task.Run(run);
        return bytes / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("Objects were not freed within 30 s.");
            }

            await Task.Yield();
        }
    }
}
