namespace Plexus.Tests;

[Slow]
public sealed class TaskTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    private static string NewGatePath() => Path.Combine(Path.GetTempPath(), "plexus-gate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StaticMethodTaskReturnsItsResult()
    {
        var sum = Plexus.Task<int, int, int>(TestFunctions.Add).Remote(2, 3);
        Assert.Equal(5, await sum);
    }

    [Fact]
    public async Task NonCapturingLambdaRunsAsATask()
    {
        var product = Plexus.Task(static (int a, int b) => a * b).Remote(6, 7);
        Assert.Equal(42, await product);
    }

    [Fact]
    public async Task EightParametersMixValuesAndRefs()
    {
        var three = Plexus.Put(3);
        var five = Plexus.Task<int, int, int>(TestFunctions.Add).Remote(2, 3);
        var total = Plexus.Task<int, int, int, int, int, int, int, int, int>(TestFunctions.Eight).Remote(1, 2, three, 4, five, 6, 7, 8);
        Assert.Equal(36, await total);
    }

    [Fact]
    public async Task RecordsAndCollectionsTravelWithoutAttributes()
    {
        var order = new Order("sku-1", 3, 10m, ["a", "b"]);
        var repriced = await Plexus.Task<Order, decimal, Order>(TestFunctions.Reprice).Remote(order, 1.5m);
        Assert.Equal(order with { Price = 15m }, repriced with { Tags = order.Tags });
        Assert.Equal(new List<string> { "a", "b" }, repriced.Tags);
    }

    [Fact]
    public async Task SeveralReturnsAreSeparateFutures()
    {
        var parts = Plexus.Task<int, int[]>(TestFunctions.Split).Returns(3).Remote(3);
        Assert.Equal(3, parts.Length);
        Assert.Equal(3, parts.Select(p => p.Id).Distinct().Count());
        var values = await Plexus.GetAsync(parts);
        Assert.Equal(new[] { 10, 11, 12 }, values);
    }

    [Fact]
    public async Task OneDeclaredReturnIsTheArraysOnlyElement()
    {
        var parts = Plexus.Task<int, int[]>(TestFunctions.Split).Returns(1).Remote(1);
        Assert.Equal(10, await Assert.Single(parts));
    }

    [Fact]
    public async Task OneDeclaredReturnRefusesAnArrayOfAnotherLength()
    {
        var parts = Plexus.Task<int, int[]>(TestFunctions.Split).Returns(1).Remote(2);
        var error = await Assert.ThrowsAsync<TaskFailedException>(async () => await parts[0]);
        Assert.Contains("declares 1 returns but returned 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncTaskMethodsAreAwaitedOnTheWorker()
    {
        Assert.Equal("hello plexus", await Plexus.Task<string, string>(TestFunctions.GreetLaterAsync).Remote("plexus"));
    }

    [Fact]
    public async Task RefsNestedInAValueArriveAsRefs()
    {
        ObjectRef<int>[] refs = [Plexus.Put(1), Plexus.Task<int, int>(TestFunctions.Echo).Remote(2), Plexus.Put(3)];
        Assert.Equal(6, await Plexus.Task<ObjectRef<int>[], int>(TestFunctions.SumOfRefsAsync).Remote(refs));
    }

    [Fact]
    public async Task LargeArrayArgumentIsReadFromSharedMemory()
    {
        var values = Enumerable.Range(0, 1_000_000).Select(i => (double)i).ToArray();
        var before = await SettledStoreBytesAsync();
        var data = Plexus.Put(values);
        Assert.True(Plexus.StoreBytesUsed - before >= values.Length * sizeof(double));
        Assert.Equal(values.Sum(), await Plexus.Task<double[], double>(TestFunctions.Sum).Remote(data));
        Assert.Equal(values.Sum(), await Plexus.Task<ReadOnlyMemory<double>, double>(TestFunctions.SumInPlace).Remote(data.AsMemory()));
    }

    [Fact]
    public async Task LargeValueArgumentGoesThroughTheStoreAndIsFreedWhenItsTaskFinishes()
    {
        var gate = NewGatePath();
        try
        {
            var before = await SettledStoreBytesAsync();
            var values = Enumerable.Repeat(0.5, 400_000).ToArray();
            var sum = Plexus.Task<double[], string, double>(TestFunctions.SumAfterGateAsync).Remote(values, gate);
            Assert.True(Plexus.StoreBytesUsed - before >= values.Length * sizeof(double), "the argument did not go through the store");

            File.WriteAllText(gate, "open");
            Assert.Equal(200_000.0, await sum);
            await Eventually.TrueAsync(() => Plexus.StoreBytesUsed == before, "the argument's store copy is freed");
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task FreeingAPendingResultDropsItWhenItArrives()
    {
        var gate = NewGatePath();
        try
        {
            var before = await SettledStoreBytesAsync();
            var pending = Plexus.Task<int, string, double[]>(TestFunctions.LargeArrayAfterGateAsync).Remote(1_000_000, gate);
            pending.Dispose();
            File.WriteAllText(gate, "open");

            await Assert.ThrowsAsync<ObjectLostException>(async () => await pending);
            // The task must have gone through its gate before the gate goes (else it waits out its
            // deadline on the worker, holding up later tests), and before the store is checked.
            await Eventually.TrueAsync(() => !File.Exists(gate), "the gated task goes through its gate");
            var probe = Plexus.Task<int, int>(TestFunctions.Echo).Remote(1);
            Assert.Equal(1, await probe);
            await Eventually.TrueAsync(() => Plexus.StoreBytesUsed == before, "the store copy of the freed result is released");
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task LargeArrayGetIsAZeroCopyViewOfSharedMemory()
    {
        var values = Enumerable.Range(0, 500_000).Select(i => (long)i * 3).ToArray();
        var data = Plexus.Put(values);
        using (var view = await data.GetViewAsync())
        {
            Assert.False(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(view.Memory, out _), "a view must not be a managed copy");
            Assert.True(view.Span.SequenceEqual(values));
        }

        Assert.Equal(values, await data);
        Assert.Equal(new ObjectInfo(data.Id, data.Owner, ObjectState.Ready, values.Length * sizeof(long), ObjectPlacement.SharedMemory), data.Info);
    }

    [Fact]
    public async Task SmallValuesTravelInlineWithoutTheStore()
    {
        var before = Plexus.StoreObjectCount;
        var small = Plexus.Put(new byte[1024]);
        Assert.Equal(1024, (await small).Length);
        Assert.Equal(before, Plexus.StoreObjectCount);
        Assert.Equal(ObjectPlacement.Inline, small.Info.Placement);
    }

    [Fact]
    public async Task WaitReturnsTheFirstReadyWithinTheTimeout()
    {
        var gate = NewGatePath();
        try
        {
            var fast = Enumerable.Range(0, 5).Select(i => Plexus.Task<int, int>(TestFunctions.Echo).Remote(i)).ToList();
            var gated = Plexus.Task<int, string, int>(TestFunctions.GatedAsync).Remote(9, gate);
            List<ObjectRef<int>> all = [.. fast, gated];

            var (ready, pending) = await Plexus.WaitAsync(all, count: 5, timeout: TimeSpan.FromSeconds(60));
            Assert.Equal(fast.Select(r => r.Id), ready.Select(r => r.Id));
            Assert.Equal(gated.Id, Assert.Single(pending).Id);

            // Asking for all six times out with the five that are ready.
            var (timedOut, stillPending) = await Plexus.WaitAsync(all, count: 6, timeout: TimeSpan.FromMilliseconds(50));
            Assert.Equal(5, timedOut.Count);
            Assert.Equal(gated.Id, Assert.Single(stillPending).Id);

            File.WriteAllText(gate, "open");
            var (allReady, none) = await Plexus.WaitAsync(all, count: 6, timeout: TimeSpan.FromSeconds(60));
            Assert.Equal(6, allReady.Count);
            Assert.Empty(none);
            Assert.Equal(9, await gated);
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task WaitRefusesTheSameRefTwice()
    {
        var one = Plexus.Put(1);
        var same = await Plexus.Put(new[] { one }).GetAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Plexus.WaitAsync([one, Plexus.Put(2), same[0]], count: 3));
        Assert.Contains(one.Id.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWithTimeoutThrowsTimeoutException()
    {
        var slow = Plexus.Task<int, int>(TestFunctions.Slow).Remote(1);
        Assert.Equal(ObjectState.Pending, slow.Info.State);
        await Assert.ThrowsAsync<TimeoutException>(async () => await slow.GetAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(1, await slow);
    }

    [Fact]
    public async Task FreedObjectRaisesObjectLost()
    {
        var data = Plexus.Put(new double[100_000]);
        var before = await SettledStoreBytesAsync();
        data.Dispose();
        await Assert.ThrowsAsync<ObjectLostException>(async () => await data);
        await Eventually.TrueAsync(() => Plexus.StoreBytesUsed < before);
    }

    // Store usage once refs earlier tests dropped without disposing have been collected and freed,
    // so that a comparison with it sees only what this test does. A free can trail the round that
    // caused it (a borrower's release reaches the owner, which then frees the copy), so usage is
    // settled when a whole round leaves it unchanged.
    private async Task<long> SettledStoreBytesAsync()
    {
        long? previous = null;
        var settled = await Eventually.ValueAsync(
            async () =>
            {
                await Plexus.CollectGarbageAsync();
                var round = (Before: previous, After: Plexus.StoreBytesUsed);
                previous = round.After;
                return round;
            },
            round => round.Before == round.After,
            "store usage unchanged across a collection round");
        return settled.After;
    }
}
