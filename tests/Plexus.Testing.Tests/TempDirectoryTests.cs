namespace Plexus.Testing.Tests;

public sealed class TempDirectoryTests
{
    [Fact]
    public void EachInstanceIsANewEmptyDirectory()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        Assert.NotEqual(first.Path, second.Path);
        Assert.Empty(Directory.EnumerateFileSystemEntries(first.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(second.Path));
    }

    [Fact]
    public void DisposeDeletesEverythingInIt()
    {
        var temp = new TempDirectory();
        File.WriteAllText(temp.File("a/b/c.txt"), "nested");
        File.WriteAllText(temp.File("top.txt"), "top");

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
    }

    [Fact]
    public void DisposeDeletesFilesStillHeldOpen()
    {
        var temp = new TempDirectory();
        using var held = new FileStream(temp.File("held.bin"), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
        held.Write([1, 2, 3]);

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
    }

    [Fact]
    public void DisposeDeletesTheDirectoryWhenTheTestFailed()
    {
        string path = "";
        void FailingTest()
        {
            using var temp = new TempDirectory();
            path = temp.Path;
            File.WriteAllText(temp.File("partial.txt"), "written before the failure");
            throw new InvalidOperationException("the test failed");
        }

        Assert.Throws<InvalidOperationException>(FailingTest);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void DisposeToleratesADirectoryTheTestAlreadyDeleted()
    {
        var temp = new TempDirectory();
        Directory.Delete(temp.Path);

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
    }

    [Fact]
    public void FileCreatesItsParentFolders()
    {
        using var temp = new TempDirectory();

        var path = temp.File("one/two/three.txt");

        Assert.Equal(Path.Combine(temp.Path, "one", "two", "three.txt"), path);
        Assert.True(Directory.Exists(Path.Combine(temp.Path, "one", "two")));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void InSharedMemoryIsOnTmpfsWhereThereIsOne()
    {
        using var temp = TempDirectory.InSharedMemory();

        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        Assert.Equal(root.TrimEnd(Path.DirectorySeparatorChar), Path.GetDirectoryName(temp.Path));
    }
}
