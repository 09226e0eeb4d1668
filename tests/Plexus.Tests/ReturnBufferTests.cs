namespace Plexus.Tests;

/// <summary>A task that writes a byte[] return in place in the store: sealed as written, or freed unsealed.</summary>
[Slow]
public sealed class ReturnBufferTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const int Large = 1 << 20;

    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task AReturnWrittenInPlaceIsReadAsTheBytesWritten()
    {
        var parts = Plexus.Task<int, byte[][]>(ReturnBufferFunctions.FillBoth).Returns(2).Remote(Large);

        Assert.Equal(ReturnBufferFunctions.Pattern(Large, seed: 0), await parts[0]);
        Assert.Equal(ReturnBufferFunctions.Pattern(Large, seed: 1), await parts[1]);
        Assert.All(parts, p => Assert.Equal(ObjectPlacement.SharedMemory, p.Info.Placement));
        Assert.All(parts, p => Assert.Equal(Large, p.Info.SizeBytes));
    }

    [Fact]
    public async Task ASmallReturnBufferRidesInline()
    {
        var part = Assert.Single(Plexus.Task<int, byte[][]>(ReturnBufferFunctions.FillBoth).Returns(2).Remote(100).Take(1));

        Assert.Equal(ReturnBufferFunctions.Pattern(100, seed: 0), await part);
        Assert.Equal(ObjectPlacement.Inline, part.Info.Placement);
    }

    [Fact]
    public async Task ATaskThatFailsAfterMakingABufferLeavesNothingInTheStore()
    {
        var failed = Plexus.Task<int, byte[]>(ReturnBufferFunctions.FillThenThrow).Remote(Large);

        var error = await Assert.ThrowsAsync<TaskFailedException>(async () => await failed);
        Assert.Contains("after filling", error.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => !InStore(failed.Id), "the unsealed buffer of the failed task is freed");
    }

    [Fact]
    public async Task AReturnGivenAValueFreesItsBufferAndKeepsTheValue()
    {
        var value = Plexus.Task<int, byte[]>(ReturnBufferFunctions.FillButReturnAnArray).Remote(Large);

        Assert.Equal(ReturnBufferFunctions.Pattern(Large / 2, seed: 7), await value);
        Assert.Equal(Large / 2, Assert.Single(Plexus.EmbeddedNode().DescribeStore(), o => o.Id == value.Id).Size);
    }

    [Fact]
    public async Task ABufferForAReturnTheTaskDoesNotHaveIsRefused()
    {
        var refused = Plexus.Task<int, byte[]>(ReturnBufferFunctions.FillReturn).Remote(1);

        var error = await Assert.ThrowsAsync<TaskFailedException>(async () => await refused);
        Assert.Contains(nameof(ArgumentOutOfRangeException), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideATaskAReturnBufferIsRefused() =>
        Assert.Throws<InvalidOperationException>(() => Plexus.CreateReturnBuffer(0, Large));

    private bool InStore(ObjectId id) => Plexus.EmbeddedNode().DescribeStore().Any(o => o.Id == id);
}

/// <summary>Task bodies of <see cref="ReturnBufferTests"/>.</summary>
public static class ReturnBufferFunctions
{
    public static byte[] Pattern(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed))];

    public static byte[][] FillBoth(int length) => [Fill(0, length), Fill(1, length)];

    public static byte[] FillThenThrow(int length)
    {
        Fill(0, length);
        throw new InvalidOperationException("failed after filling its return buffer");
    }

    public static byte[] FillButReturnAnArray(int length)
    {
        Fill(0, length);
        return Pattern(length / 2, seed: 7);
    }

    // Return 1 of a task with one return.
    public static byte[] FillReturn(int index) => Fill(index, Large);

    private const int Large = 1 << 20;

    // Writes return `index` in place; the task returns null there, so the runtime seals the buffer.
    private static byte[] Fill(int index, int length)
    {
        var buffer = PlexusRuntime.Current.CreateReturnBuffer(index, length);
        Pattern(length, seed: index).CopyTo(buffer.Memory);
        return null!;
    }
}
