using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Plexus.Tests;

/// <summary>Objects are freed exactly when no process can reach them: handles, tasks, containers, borrowers.</summary>
[Slow]
public sealed class ReferenceCountingTests(MemoryPressureCluster cluster) : IClassFixture<MemoryPressureCluster>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task RefsDroppedWithoutDisposeNeverFillTheStore()
    {
        await Plexus.CollectGarbageAsync();
        var baseline = Plexus.StoreBytesUsed;
        // 10,000 MiB through a 256 MiB store; no handle is ever disposed.
        for (var i = 0; i < 10_000; i++)
        {
            PutAndDrop(i);
        }

        await Eventually.ValueAsync(
            async () =>
            {
                await Plexus.CollectGarbageAsync();
                return Plexus.StoreBytesUsed;
            },
            used => used == baseline,
            $"store usage returns to its baseline of {baseline} bytes");
        AssertNoSpillFiles();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PutAndDrop(int i)
    {
        var data = new byte[1 << 20];
        data[0] = (byte)i;
        _ = Plexus.Put(data);
    }

    [Fact]
    public async Task AnObjectWhoseRefsTasksAndActorsForgotIsFreedOnAnIdleClusterWithoutAsking()
    {
        using var forgetful = Plexus.Actor(() => new Forgetful()).Remote();
        var ids = new List<ObjectId>();
        for (var i = 0; i < 3; i++)
        {
            using var data = Plexus.Put(Pattern(i, 1 << 20));
            ids.Add(data.Id);
            Assert.Equal(1 << 20, await (i % 2 == 0
                ? Plexus.Task<Box, int>(TestFunctions.ReadAndForgetAsync).Remote(new Box(data))
                : forgetful.Call(f => f.ReadAsync(new Box(data)))));
        }

        // Nobody disposes, nobody asks for a collection: the workers' collectors must notice on their own.
        await Eventually.ValueAsync(
            () => string.Join(", ", ids.Where(id => InStore(id) || Plexus.CoreRuntime().References.Inspect(id) is not null)),
            stayed => stayed.Length == 0,
            "the objects nothing references are freed",
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ARefPassedThroughAChainOfTasksAndStoredInAReturnedObjectLivesUntilTheLastHolderDrops()
    {
        var expected = Pattern(7, 300_000);
        var data = Plexus.Put(expected);
        var id = data.Id;
        var holder = Plexus.Task<Box, int, Box>(TestFunctions.PassAlongAsync).Remote(new Box(data), 3);
        // The owner drops its own handle while the ref travels down the chain.
        data.Dispose();

        var box = await holder;
        Assert.Equal(id, box.Data.Id);
        Assert.Equal(expected, await box.Data);

        // The value of `holder` still contains the ref, so even after every process collects, it lives.
        box.Data.Dispose();
        await Plexus.CollectGarbageAsync();
        Assert.NotNull(Plexus.CoreRuntime().References.Inspect(id));
        Assert.True(InStore(id));

        holder.Dispose();
        await Eventually.ValueAsync(
            async () =>
            {
                await Plexus.CollectGarbageAsync();
                return (Counts: Plexus.CoreRuntime().References.Inspect(id), InStore: InStore(id));
            },
            state => state.Counts is null && !state.InStore,
            "the ref is freed after its last holder dropped it");
    }

    [Fact]
    public async Task AWorkerThatKeepsARefIsItsBorrowerUntilItExits()
    {
        var data = Plexus.Put(Pattern(3, 200_000));
        var id = data.Id;
        var pid = await Plexus.Task<Box, int>(TestFunctions.KeepRef).Remote(new Box(data));
        data.Dispose();
        await Plexus.CollectGarbageAsync();
        var counts = Plexus.CoreRuntime().References.Inspect(id);
        Assert.NotNull(counts);
        Assert.Equal(1, counts.Value.Borrowers);

        Process.GetProcessById(pid).Kill();
        await Eventually.TrueAsync(() => Plexus.CoreRuntime().References.Inspect(id) is null && !InStore(id),
            "the owner frees the object after its only borrower exited");
    }

    [Fact]
    public async Task ObjectsThreeTimesTheStoreAreAllReadableAfterSpillingAndTheirFilesGoWhenFreed()
    {
        const int size = 4 << 20;
        var count = (int)(3 * MemoryPressureCluster.Capacity / size);
        var refs = new List<ObjectRef<byte[]>>();
        for (var i = 0; i < count; i++)
        {
            refs.Add(Plexus.Put(Pattern(i, size)));
        }

        Assert.True(Plexus.EmbeddedNode().BytesSpilled > 0, "nothing was spilled");
        for (var i = 0; i < count; i++)
        {
            Assert.True((await refs[i]).AsSpan().SequenceEqual(Pattern(i, size)), $"object {i} came back wrong");
        }

        // A spilled object passed to a task is brought back before the task runs.
        var first = refs[0];
        Assert.Equal(Checksum(Pattern(0, size)), await Plexus.Task<byte[], long>(TestFunctions.Checksum).Remote(first));
        Assert.True(Plexus.EmbeddedNode().BytesRestored > 0, "nothing was restored");

        PlexusRuntime.Free([.. refs]);
        await Eventually.TrueAsync(() => Plexus.EmbeddedNode().SpillFileCount == 0 && Plexus.EmbeddedNode().SpilledBytes == 0);
        AssertNoSpillFiles();
    }

    [Fact]
    public async Task ACreatorBlockedByAFullStoreProceedsOnceAnotherProcessFrees()
    {
        // Views pin their bytes, so nothing here can be spilled: the store is truly full.
        var (refs, views) = await PinAsync(7, 32 << 20);
        try
        {
            var put = Plexus.Task<int, int>(TestFunctions.PutInTask).Remote(64 << 20);
            await Eventually.TrueAsync(() => Plexus.EmbeddedNode().PendingCreates == 1, "the worker's create waits");
            Assert.False(put.IsReady);

            for (var i = 0; i < 2; i++)
            {
                views[i].Dispose();
                refs[i].Dispose();
            }

            Assert.Equal(64 << 20, await put.GetAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            views.ForEach(v => v.Dispose());
            refs.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task MemoryReportShowsWhatTheProgramHolds()
    {
        var stored = Plexus.Put(new byte[300_000]);
        var small = Plexus.Put(42);
        var inner = Plexus.Put(new byte[200_000]);
        var outer = Plexus.Put(new Box(inner));
        var borrowed = Plexus.Put(new byte[150_000]);
        var pid = await Plexus.Task<Box, int>(TestFunctions.KeepRef).Remote(new Box(borrowed));
        var gate = Path.Combine(Path.GetTempPath(), $"plexus-gate-{Guid.NewGuid():N}");
        var argument = Plexus.Put(new double[20_000]);
        var waiting = Plexus.Task<double[], string, double>(TestFunctions.SumAfterGateAsync).Remote(argument, gate);
        try
        {
            var report = await Plexus.GetMemoryReportAsync();
            ObjectMemoryInfo Find(ObjectRef r) => Assert.Single(report.Objects, o => o.Id == r.Id);

            var storedInfo = Find(stored);
            Assert.Equal(ObjectResidence.SharedMemory, storedInfo.Residence);
            Assert.Equal(300_000, storedInfo.Size);
            Assert.Equal(1, storedInfo.LocalHandles);
            Assert.Contains(nameof(MemoryReportShowsWhatTheProgramHolds), storedInfo.CallSite, StringComparison.Ordinal);
            Assert.Equal(ObjectResidence.Inline, Find(small).Residence);
            Assert.Equal(1, Find(inner).ContainedIn);
            Assert.Equal([new ProcessAddress(Plexus.Core.Address.Node, WorkerProcessOf(pid))], Find(borrowed).Borrowers);
            Assert.Equal(1, Find(argument).PendingTasks);
            Assert.Equal(ObjectResidence.Pending, Find(waiting).Residence);

            var table = report.ToString();
            foreach (var r in new ObjectRef[] { stored, small, inner, outer, borrowed, argument, waiting })
            {
                Assert.Contains(r.Id.ToString(), table, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.WriteAllText(gate, "open");
            await waiting;
            File.Delete(gate);
            PlexusRuntime.Free(stored, small, inner, outer, borrowed, argument, waiting);
            Process.GetProcessById(pid).Kill();
        }

        // Everything this test made is gone once the borrowing worker has exited.
        await Eventually.ValueAsync(
            async () =>
            {
                await Plexus.CollectGarbageAsync();
                return (await Plexus.GetMemoryReportAsync()).Objects.Count;
            },
            objects => objects == 0,
            "every object the test dropped is freed");
    }

    private bool InStore(ObjectId id) => Plexus.EmbeddedNode().DescribeStore().Any(o => o.Id == id);

    private int WorkerProcessOf(int pid) => Plexus.EmbeddedNode().WorkerProcessOfPid(pid);

    private async Task<(List<ObjectRef<byte[]>> Refs, List<ObjectView<byte>> Views)> PinAsync(int count, int size)
    {
        var refs = new List<ObjectRef<byte[]>>();
        var views = new List<ObjectView<byte>>();
        for (var i = 0; i < count; i++)
        {
            refs.Add(Plexus.Put(new byte[size]));
            views.Add(await refs[^1].GetViewAsync());
        }

        return (refs, views);
    }

    private void AssertNoSpillFiles()
    {
        Assert.Equal(0, Plexus.EmbeddedNode().SpillFileCount);
        var directory = Plexus.EmbeddedNode().SpillDirectory;
        Assert.True(!Directory.Exists(directory) || Directory.GetFiles(directory, "spill-*").Length == 0, $"spill files remain in {directory}");
    }

    internal static byte[] Pattern(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes.AsSpan(0, Math.Min(length, 4096)));
        Array.Fill(bytes, (byte)seed, 4096, Math.Max(0, length - 4096));
        BitConverter.TryWriteBytes(bytes.AsSpan(length - 4), seed);
        return bytes;
    }

    private static long Checksum(byte[] bytes) => TestFunctions.Checksum(bytes);
}
