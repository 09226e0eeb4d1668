namespace Plexus.ObjectStore.Tests;

public sealed class ArenaAllocatorTests
{
    private const long Capacity = 64 * 1024;

    [Fact]
    public void FreedNeighboursCoalesceBackIntoOneFullRange()
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.True(allocator.TryAllocate(1000, out var first));
        Assert.True(allocator.TryAllocate(2000, out var middle));
        Assert.True(allocator.TryAllocate(3000, out var last));

        allocator.Free(middle);
        allocator.Free(first);
        allocator.Free(last);

        Assert.Equal(0, allocator.Used);
        Assert.Equal(0, allocator.AllocationCount);
        Assert.Equal(Capacity, allocator.LargestFreeRange);
        Assert.True(allocator.TryAllocate(Capacity, out var whole));
        Assert.Equal(0, whole);
        Assert.Equal(Capacity, allocator.Used);
    }

    [Fact]
    public void FreeingTheMiddleAllocationLeavesItsRangeReusable()
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.True(allocator.TryAllocate(1024, out _));
        Assert.True(allocator.TryAllocate(1024, out var middle));
        Assert.True(allocator.TryAllocate(Capacity - 2048, out _));
        Assert.Equal(0, allocator.LargestFreeRange);

        allocator.Free(middle);

        Assert.Equal(1024, allocator.LargestFreeRange);
        Assert.True(allocator.TryAllocate(1000, out var reused));
        Assert.Equal(middle, reused);
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(63, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(1000, 1024)]
    public void SizesAndOffsetsAreAlignedTo64Bytes(long size, long expectedUsed)
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.True(allocator.TryAllocate(size, out var a));
        Assert.True(allocator.TryAllocate(size, out var b));

        Assert.Equal(0, a % 64);
        Assert.Equal(0, b % 64);
        Assert.Equal(2 * expectedUsed, allocator.Used);
    }

    [Fact]
    public void CapacityIsRoundedDownTo64Bytes()
    {
        var allocator = new ArenaAllocator(1000);

        Assert.Equal(960, allocator.Capacity);
        Assert.True(allocator.TryAllocate(960, out _));
    }

    [Fact]
    public void AllocationLargerThanAnyFreeRangeReturnsFalse()
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.False(allocator.TryAllocate(Capacity + 1, out _));
        Assert.False(allocator.TryAllocate(long.MaxValue, out _));

        Assert.True(allocator.TryAllocate(Capacity - 64, out _));
        Assert.False(allocator.TryAllocate(65, out _));
        Assert.True(allocator.TryAllocate(64, out _));
        Assert.False(allocator.TryAllocate(1, out _));
        Assert.Equal(Capacity, allocator.Used);
    }

    [Fact]
    public void FragmentedSpaceRefusesAnAllocationLargerThanTheLargestHole()
    {
        var allocator = new ArenaAllocator(4096);
        var offsets = new List<long>();
        while (allocator.TryAllocate(64, out var offset))
        {
            offsets.Add(offset);
        }

        // Free every other block: half the space is free, but in 64-byte holes.
        for (var i = 0; i < offsets.Count; i += 2)
        {
            allocator.Free(offsets[i]);
        }

        Assert.Equal(2048, allocator.Used);
        Assert.Equal(64, allocator.LargestFreeRange);
        Assert.False(allocator.TryAllocate(128, out _));
    }

    [Fact]
    public void DoubleFreeThrows()
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.True(allocator.TryAllocate(100, out var offset));
        allocator.Free(offset);

        Assert.Throws<InvalidOperationException>(() => allocator.Free(offset));
        Assert.Equal(0, allocator.Used);
    }

    [Fact]
    public void FreeingAnOffsetThatWasNeverAllocatedThrows()
    {
        var allocator = new ArenaAllocator(Capacity);
        Assert.True(allocator.TryAllocate(128, out _));

        Assert.Throws<InvalidOperationException>(() => allocator.Free(64));
        Assert.Equal(128, allocator.Used);
    }

    [Fact]
    public void NonPositiveSizesAreRejected()
    {
        var allocator = new ArenaAllocator(Capacity);

        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocate(0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocate(-1, out _));
    }

    [Fact]
    public void RandomAllocationsNeverOverlapAndUsedMatchesAModel()
    {
        const long capacity = 1 << 20;
        var random = new Random(12345);
        var allocator = new ArenaAllocator(capacity);

        // The model: offset -> aligned size of every live allocation, kept independently of the allocator.
        var live = new Dictionary<long, long>();
        long modelUsed = 0;

        for (var step = 0; step < 20_000; step++)
        {
            if (live.Count > 0 && random.Next(100) < 45)
            {
                var victim = live.Keys.ElementAt(random.Next(live.Count));
                allocator.Free(victim);
                modelUsed -= live[victim];
                live.Remove(victim);
            }
            else
            {
                // Mostly small sizes with an occasional large one, like a real object store.
                var size = random.Next(10) == 0 ? random.Next(1, 64 * 1024) : random.Next(1, 2048);
                var aligned = (size + 63) / 64 * 64;
                if (allocator.TryAllocate(size, out var offset))
                {
                    Assert.Equal(0, offset % 64);
                    Assert.InRange(offset, 0, capacity - aligned);
                    live.Add(offset, aligned);
                    modelUsed += aligned;
                }
                else
                {
                    Assert.True(allocator.LargestFreeRange < aligned);
                }
            }

            Assert.Equal(modelUsed, allocator.Used);
            Assert.Equal(live.Count, allocator.AllocationCount);
            if (step % 1000 == 0)
            {
                AssertNoOverlaps(live.Select(pair => (pair.Key, pair.Value)));
            }
        }

        AssertNoOverlaps(live.Select(pair => (pair.Key, pair.Value)));
        foreach (var offset in live.Keys)
        {
            allocator.Free(offset);
        }

        Assert.Equal(0, allocator.Used);
        Assert.Equal(capacity, allocator.LargestFreeRange);
    }

    [Fact]
    public async Task ConcurrentAllocationsFromSeveralThreadsAreDisjoint()
    {
        const int threadCount = 4;
        const int blocksPerThread = 2_000;
        const long blockSize = 100;
        var allocator = new ArenaAllocator(threadCount * blocksPerThread * 128);

        // Every worker waits here so they all hit the allocator at once, even on a two-core machine.
        using var start = new Barrier(threadCount);
        var workers = Enumerable.Range(0, threadCount).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                var mine = new List<long>();
                for (var i = 0; i < blocksPerThread; i++)
                {
                    Assert.True(allocator.TryAllocate(blockSize, out var offset));

                    // Churn: give some back and take again, so frees race with other threads' allocations.
                    if (i % 3 == 0)
                    {
                        allocator.Free(offset);
                        Assert.True(allocator.TryAllocate(blockSize, out offset));
                    }

                    mine.Add(offset);
                }

                return mine;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));

        var all = (await Task.WhenAll(workers)).SelectMany(offsets => offsets).ToList();

        Assert.Equal(threadCount * blocksPerThread, all.Count);
        Assert.Equal(allocator.Capacity, allocator.Used);
        Assert.Equal(all.Count, allocator.AllocationCount);
        AssertNoOverlaps(all.Select(offset => (offset, 128L)));
    }

    private static void AssertNoOverlaps(IEnumerable<(long Offset, long Size)> allocations)
    {
        long previousEnd = 0;
        foreach (var (offset, size) in allocations.OrderBy(allocation => allocation.Offset))
        {
            Assert.True(offset >= previousEnd, $"Allocation at {offset} overlaps the one ending at {previousEnd}.");
            previousEnd = offset + size;
        }
    }
}
