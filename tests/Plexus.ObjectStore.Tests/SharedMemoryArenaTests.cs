namespace Plexus.ObjectStore.Tests;

public sealed unsafe class SharedMemoryArenaTests : IDisposable
{
    private const long Capacity = 4 << 20;

    private readonly TempDirectory _directory = TempDirectory.InSharedMemory();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ValueWrittenThroughOneMappingIsReadThroughAnotherOpenedByPath()
    {
        using var creator = SharedMemoryArena.Create(Capacity, _directory.Path);
        using var opener = SharedMemoryArena.Open(creator.OpenPath, creator.Capacity);

        creator.GetSpan(123_456, 5).Fill(0x5A);
        *(long*)(creator.BasePointer + 4096) = 0x0123_4567_89AB_CDEF;

        Assert.True(opener.BasePointer != creator.BasePointer);
        Assert.Equal(Capacity, opener.Capacity);
        Assert.All(opener.GetSpan(123_456, 5).ToArray(), b => Assert.Equal(0x5A, b));
        Assert.Equal(0x0123_4567_89AB_CDEF, *(long*)(opener.BasePointer + 4096));

        // And back the other way.
        opener.GetSpan(Capacity - 1, 1)[0] = 7;
        Assert.Equal(7, creator.GetSpan(Capacity - 1, 1)[0]);
    }

    [Fact]
    public void OpenPathNamesTheCreatorsFileDescriptor()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        Assert.StartsWith($"/proc/{Environment.ProcessId}/fd/", arena.OpenPath, StringComparison.Ordinal);
    }

    [Fact]
    public void BackingFileIsUnlinkedRightAfterCreate()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        Assert.Empty(Directory.GetFiles(_directory.Path, $"plexus-{Environment.ProcessId}-*"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));

        // The memory is still there, reachable only through the descriptor.
        arena.GetSpan(0, 1)[0] = 42;
        using var opener = SharedMemoryArena.Open(arena.OpenPath, arena.Capacity);
        Assert.Equal(42, opener.GetSpan(0, 1)[0]);
    }

    [Fact]
    public void MemoryOfDoublesRoundTrips()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);
        var values = Enumerable.Range(0, 10_000).Select(i => i * 0.5 - 17.25).ToArray();

        var written = arena.GetMemory<double>(64 * 1024, values.Length);
        values.CopyTo(written);
        var read = arena.GetMemory<double>(64 * 1024, values.Length);

        Assert.Equal(values, read.ToArray());
        Assert.Equal(values[1], BitConverter.ToDouble(arena.GetSpan(64 * 1024 + sizeof(double), sizeof(double))));
    }

    [Fact]
    public void PinningArenaMemoryReturnsItsAddress()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);
        var memory = arena.GetMemory<double>(128, 16);

        using var handle = memory.Slice(2).Pin();

        Assert.True(handle.Pointer == arena.BasePointer + 128 + 2 * sizeof(double));
    }

    [Fact]
    public void MemoryUsedAfterTheArenaIsDisposedThrowsInsteadOfFaulting()
    {
        var arena = SharedMemoryArena.Create(Capacity, _directory.Path);
        var memory = arena.GetMemory<int>(0, 4);
        arena.Dispose();

        Assert.Throws<ObjectDisposedException>(() => memory.Span[0]);
        Assert.Throws<ObjectDisposedException>(() => arena.GetSpan(0, 1));
        arena.Dispose();
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, -1)]
    [InlineData(Capacity, 1)]
    [InlineData(Capacity - 1, 2)]
    [InlineData(long.MaxValue, 1)]
    public void RangesOutsideTheArenaAreRejected(long offset, int length)
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        Assert.Throws<ArgumentOutOfRangeException>(() => arena.GetSpan(offset, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.GetMemory<byte>(offset, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Prefault(offset, length));
    }

    [Fact]
    public void GetMemoryChecksTheRangeInBytesNotElements()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        Assert.Equal(2, arena.GetMemory<double>(Capacity - 16, 2).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.GetMemory<double>(Capacity - 16, 3));
    }

    [Fact]
    public void PrefaultKeepsContentsAndLeavesPagesWritable()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);
        arena.GetSpan(8192, 3).Fill(9);

        arena.Prefault(100, Capacity - 100);
        arena.Prefault(0, 0);

        Assert.All(arena.GetSpan(8192, 3).ToArray(), b => Assert.Equal(9, b));
        Assert.Equal(0, arena.GetSpan(Capacity - 4096, 1)[0]);
        arena.GetSpan(0, (int)Capacity).Fill(1);
    }

    [Fact]
    public void PrefaultUsesMadvisePopulateWriteOnKernelsThatHaveIt()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        arena.Prefault(0, Capacity);

        // MADV_POPULATE_WRITE arrived in Linux 5.14; on older kernels touching pages is the expected path.
        var kernelHasIt = OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 14);
        Assert.Equal(kernelHasIt, PagePrefaulter.UsesPopulateWrite);
    }

    [Fact]
    public void TouchingPagesKeepsContents()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);
        arena.GetSpan(4096, 8).Fill(3);

        PagePrefaulter.TouchPages(arena.BasePointer, 10, Capacity - 10);

        Assert.All(arena.GetSpan(4096, 8).ToArray(), b => Assert.Equal(3, b));
        Assert.Equal(0, arena.GetSpan(0, 1)[0]);
    }

    [Fact]
    public void CreateDefaultsToDevShmAndLeavesNoFileThere()
    {
        using var arena = SharedMemoryArena.Create(Capacity);

        Assert.Empty(Directory.GetFiles("/dev/shm", $"plexus-{Environment.ProcessId}-*"));
        arena.GetSpan(0, 1)[0] = 1;
        Assert.Equal(1, arena.GetSpan(0, 1)[0]);
    }

    [Fact]
    public void CreateInAMissingDirectoryThrowsObjectStoreUnavailable()
    {
        var missing = Path.Combine(_directory.Path, "does-not-exist");

        var ex = Assert.Throws<ObjectStoreUnavailableException>(() => SharedMemoryArena.Create(Capacity, missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateWithLessThanOneMebibyteThrowsObjectStoreUnavailable()
    {
        Assert.Throws<ObjectStoreUnavailableException>(() => SharedMemoryArena.Create((1 << 20) - 1, _directory.Path));
    }

    [Fact]
    public void OpenOfAPathThatDoesNotExistThrowsObjectStoreUnavailable()
    {
        Assert.Throws<ObjectStoreUnavailableException>(
            () => SharedMemoryArena.Open(Path.Combine(_directory.Path, "no-such-arena"), Capacity));
    }

    [Fact]
    public void OpenWithACapacityLargerThanTheArenaThrowsObjectStoreUnavailable()
    {
        using var arena = SharedMemoryArena.Create(Capacity, _directory.Path);

        Assert.Throws<ObjectStoreUnavailableException>(() => SharedMemoryArena.Open(arena.OpenPath, Capacity * 2));
    }
}
