using MessagePack;
using MessagePack.Resolvers;
using Plexus.Data.Files;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

public sealed class ByteRangeSplitterTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void SplitsCoverEveryFileWithoutGapsOrOverlap()
    {
        FileEntry[] files = [File("/d/a", 100 * MiB), File("/d/b", 3 * MiB + 5), File("/d/empty", 0), File("/d/c", 10)];
        var splits = ByteRangeSplitter.Split(files, targetBytes: 32 * MiB, minSplits: 1);

        foreach (var file in files)
        {
            var own = splits.Where(s => s.Path == file.Path).ToList();
            Assert.Equal(file.Length, own.Sum(s => s.End - s.Start));
            Assert.All(own, s => Assert.True(s.Start < s.End));
            for (var i = 1; i < own.Count; i++)
            {
                Assert.Equal(own[i - 1].End, own[i].Start);
            }
        }

        Assert.Equal(4, splits.Count(s => s.Path == "/d/a"));
    }

    [Fact]
    public void SmallerSplitsAreMadeForEnoughTasksButNeverUnderOneMebibyte()
    {
        var many = ByteRangeSplitter.Split([File("/d/a", 64 * MiB)], targetBytes: 64 * MiB, minSplits: 8);
        Assert.Equal(8, many.Count);

        var few = ByteRangeSplitter.Split([File("/d/a", 3 * MiB)], targetBytes: 64 * MiB, minSplits: 100);
        Assert.Equal(3, few.Count);
        Assert.All(few, s => Assert.True(s.End - s.Start >= MiB));
    }

    [Fact]
    public void AFileOfAnyLengthCutForEnoughTasksMakesExactlyThatMany()
    {
        // 199,999,996 bytes for 8 tasks: a split size rounded down would leave a ninth split of 4 bytes.
        var splits = ByteRangeSplitter.Split([File("/d/corpus.txt", 199_999_996)], targetBytes: 64 * MiB, minSplits: 8);
        Assert.Equal(8, splits.Count);
    }

    [Fact]
    public void RecordSplitsAreWholeRecordsButTheLastTakesTheTail()
    {
        var length = 10 * MiB + 3;
        var splits = ByteRangeSplitter.Split([File("/d/r", length)], targetBytes: 2 * MiB, minSplits: 1, recordBytes: 24);

        Assert.All(splits, s => Assert.Equal(0, s.Start % 24));
        Assert.All(splits.SkipLast(1), s => Assert.Equal(0, s.End % 24));
        Assert.Equal(length, splits[^1].End);
    }

    [Fact]
    public void ACompressedFileIsOneSplit()
    {
        var splits = ByteRangeSplitter.Split([File("/d/a.log.gz", 100 * MiB)], targetBytes: MiB, minSplits: 8);
        var split = Assert.Single(splits);
        Assert.Equal((0, 100 * MiB), (split.Start, split.End));
    }

    [Fact]
    public void ASplitDescribesItselfAndTravelsAsAValue()
    {
        var split = new SourceSplit("/data/a.log", 0, 33554432, SplitUnit.Bytes, "node-2");
        Assert.Equal("/data/a.log bytes 0–33554432 on node node-2", split.Describe());
        Assert.Equal("/data/a.parquet row groups 2–5", new SourceSplit("/data/a.parquet", 2, 5, SplitUnit.RowGroups).Describe());

        var options = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolverAllowPrivate.Instance);
        var bytes = MessagePackSerializer.Serialize(split, options);
        Assert.Equal(split, MessagePackSerializer.Deserialize<SourceSplit>(bytes, options));
    }

    private static FileEntry File(string path, long length) => new(path, length, DateTime.UnixEpoch);
}
