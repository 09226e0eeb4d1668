using System.Text;
using Plexus.Control.Submissions;

namespace Plexus.Control.Tests.Submissions;

/// <summary>The output kept per submitted job, in memory and in files: appends by offset, bounded, and (files) reopened.</summary>
public sealed class JobOutputStoreTests : IDisposable
{
    private const string Id = "sub-00112233445566aa";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Kinds => ["memory", "file"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AppendsAreIdempotentByOffsetAndOneStartingPastTheEndIsRefused(string kind)
    {
        using var store = Open(kind, limit: 1024);

        Assert.Equal(6, store.Append(Id, 0, "hello\n"u8));
        Assert.Equal(6, store.Append(Id, 0, "hello\n"u8));
        Assert.Equal(6, store.Append(Id, 10, "lost?\n"u8));
        Assert.Equal(10, store.Append(Id, 3, "lo\nbye\n"u8));

        Assert.Equal("hello\nbye\n", Text(store.Read(Id, 0, 100)));
        Assert.Equal(10, store.EndOf(Id));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BeyondTheLimitTheOldestBytesAreDroppedAndReadsStartAtTheFirstKept(string kind)
    {
        using var store = Open(kind, limit: 8);

        store.Append(Id, 0, "0123456789"u8);
        store.Append(Id, 10, "abcd"u8);

        var chunk = store.Read(Id, 0, 100);
        Assert.Equal(6, chunk.Offset);
        Assert.Equal("6789abcd", Text(chunk));
        Assert.Equal(14, store.EndOf(Id));
        Assert.Equal("9ab", Text(store.Read(Id, 9, 3)));
    }

    [Fact]
    public void AFileStoreOpenedAgainServesTheSameOutputFromTheSameOffsets()
    {
        string directory = Path.Combine(_directory.Path, "output");
        using (var store = FileJobOutputStore.Open(directory, 8))
        {
            store.Append(Id, 0, "0123456789"u8);
            store.Append(Id, 10, "ab"u8);
        }

        using var reopened = FileJobOutputStore.Open(directory, 8);

        Assert.Equal(12, reopened.EndOf(Id));
        var chunk = reopened.Read(Id, 0, 100);
        Assert.Equal(4, chunk.Offset);
        Assert.Equal("456789ab", Text(chunk));
        Assert.Equal(13, reopened.Append(Id, 11, "bc"u8));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ADeletedSubmissionHasNoOutput(string kind)
    {
        using var store = Open(kind, limit: 64);
        store.Append(Id, 0, "x\n"u8);

        store.Delete(Id);

        Assert.Equal(0, store.EndOf(Id));
        Assert.Empty(store.Read(Id, 0, 10).Data);
    }

    private JobOutputStore Open(string kind, long limit) => kind == "file"
        ? FileJobOutputStore.Open(Path.Combine(_directory.Path, "output"), limit)
        : new InMemoryJobOutputStore(limit);

    private static string Text(JobOutputChunk chunk) => Encoding.UTF8.GetString(chunk.Data);
}
