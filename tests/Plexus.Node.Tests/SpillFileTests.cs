using Plexus.ObjectStore;

namespace Plexus.Node.Tests;

public sealed class SpillFileTests : IDisposable
{
    private readonly TempDirectory _shm = TempDirectory.InSharedMemory();
    private readonly TempDirectory _root = new();
    private readonly SharedMemoryArena _arena;
    private readonly SpillDirectory _spills;

    public SpillFileTests()
    {
        _arena = SharedMemoryArena.Create(TestNode.Capacity, _shm.Path);
        _spills = new SpillDirectory(Path.Combine(_root.Path, "spill"));
    }

    public void Dispose()
    {
        _spills.Dispose();
        _arena.Dispose();
        _shm.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void RangesWrittenInOnePassReadBackByteIdenticalElsewhere()
    {
        Random.Shared.NextBytes(_arena.GetSpan(0, 3000));
        Random.Shared.NextBytes(_arena.GetSpan(8192, 5000));
        var first = _arena.GetSpan(0, 3000).ToArray();
        var second = _arena.GetSpan(8192, 5000).ToArray();

        using var file = SpillFile.Write(_spills, _arena, [(0, 3000), (8192, 5000)]);
        file.Read(3000, _arena, 1 << 20, 5000);
        file.Read(0, _arena, 2 << 20, 3000);

        Assert.Equal(8000, new FileInfo(file.Path).Length);
        Assert.Equal(second, _arena.GetSpan(1 << 20, 5000).ToArray());
        Assert.Equal(first, _arena.GetSpan(2 << 20, 3000).ToArray());
    }

    [Fact]
    public void FileIsDeletedWhenTheLastObjectThatNeedsItIsReleased()
    {
        var file = SpillFile.Write(_spills, _arena, [(0, 100), (128, 100)]);
        file.AddLive();
        file.AddLive();

        Assert.False(file.ReleaseLive());
        Assert.True(File.Exists(file.Path));
        Assert.Equal(1, _spills.FileCount);
        Assert.True(file.ReleaseLive());

        Assert.False(File.Exists(file.Path));
        Assert.Equal(0, _spills.FileCount);
    }

    [Fact]
    public void DisposingTheSpillDirectoryRemovesItWithItsFiles()
    {
        var file = SpillFile.Write(_spills, _arena, [(0, 100)]);
        file.AddLive();

        _spills.Dispose();

        Assert.False(Directory.Exists(_spills.Path));
    }
}
