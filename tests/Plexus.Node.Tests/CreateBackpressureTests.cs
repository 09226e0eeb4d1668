using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>A create that does not fit waits for room, and fails with a full account only when none appears.</summary>
public sealed class CreateBackpressureTests
{
    private const long MiB = 1 << 20;
    // Far longer than any test may wait in real time: the node's clock is a fake one the test moves on.
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockStep = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CreateWaitsThenProceedsWhenAnotherObjectIsFreed()
    {
        await using var test = new TestNode(o => o.SpillEnabled = false);
        var send = test.AttachDriver(_ => { });
        var big = await test.PutAsync(3 * MiB);

        var waiting = test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB).AsTask();
        await Eventually.TrueAsync(() => test.Node.PendingCreates == 1, "the create is queued");
        Assert.False(waiting.IsCompleted);
        send(new FreeObjects { Objects = [big] });
        var created = await waiting;

        Assert.Null(created.Error);
        Assert.True(created.Offset >= 0);
        Assert.Equal(0, test.Node.PendingCreates);
    }

    [Fact]
    public async Task WithEverythingPinnedCreateFailsWithStoreFullNamingThePinnedBytesAndProcess()
    {
        var time = new FakeTimeProvider();
        await using var test = new TestNode(o =>
        {
            o.CreateTimeout = CreateTimeout;
            o.TimeProvider = time;
        });
        var pinnedId = await test.PutAsync(3 * MiB);
        var pinned = await test.PinAndCheckAsync(pinnedId);
        var asked = time.GetUtcNow();

        var creating = test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB).AsTask();
        await FakeClock.AdvanceUntilAsync(time, ClockStep, () => creating.IsCompleted, "the create times out");
        var created = await creating;

        Assert.True(time.GetUtcNow() - asked >= CreateTimeout, "the create waited its whole timeout on the node's clock");
        Assert.Equal(-1, created.Offset);
        Assert.Equal(ErrorKind.StoreFull, created.Error!.Kind);
        Assert.Null(created.Error.RemoteType); // A system error is told by its kind alone.
        Assert.Contains($"no room for {2 * MiB} bytes", created.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"{3 * MiB} bytes pinned", created.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"process 0 (the driver) {3 * MiB} bytes", created.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"of {test.Node.StoreCapacity} bytes in use", created.Error.Message, StringComparison.Ordinal);
        Assert.Equal(StoredObjectState.InMemory, test.StateOf(pinnedId));

        // The node is unharmed: once the pin goes, the same request succeeds.
        test.Node.UnpinObject(pinnedId, pinned.Offset);
        var retried = await test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB);
        Assert.Null(retried.Error);
    }

    [Fact]
    public async Task RequestLargerThanTheStoreFailsAtOnce()
    {
        await using var test = new TestNode();

        var created = test.Node.CreateObjectAsync(TestNode.NewId(), test.Node.StoreCapacity + 1);

        Assert.True(created.IsCompleted);
        var reply = await created;
        Assert.Equal(ErrorKind.StoreFull, reply.Error!.Kind);
        Assert.Contains("larger than the whole object store", reply.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, test.Node.PendingCreates);
    }

    [Fact]
    public async Task CancelledCreateLeavesTheQueue()
    {
        await using var test = new TestNode(o => o.SpillEnabled = false);
        await test.PutAsync(3 * MiB);
        using var cancel = new CancellationTokenSource();

        var waiting = test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB, cancel.Token).AsTask();
        await Eventually.TrueAsync(() => test.Node.PendingCreates == 1, "the create is queued");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, test.Node.PendingCreates);
    }

    [Fact]
    public async Task FailingSpillsLeaveObjectsInMemoryAndTheTimedOutCreateSaysWhy()
    {
        using var root = new TempDirectory();
        var notADirectory = Path.Combine(root.Path, "file");
        await File.WriteAllTextAsync(notADirectory, "in the way");
        var time = new FakeTimeProvider();
        await using var test = new TestNode(o =>
        {
            o.SpillDirectory = Path.Combine(notADirectory, "spill");
            o.CreateTimeout = CreateTimeout;
            o.TimeProvider = time;
        });
        var kept = await test.PutAsync(3 * MiB);

        var creating = test.Node.CreateObjectAsync(TestNode.NewId(), 2 * MiB).AsTask();
        await FakeClock.AdvanceUntilAsync(time, ClockStep, () => creating.IsCompleted, "the create times out");
        var created = await creating;

        Assert.Equal(ErrorKind.StoreFull, created.Error!.Kind);
        Assert.Contains("Spilling to disk failed", created.Error.Message, StringComparison.Ordinal);
        Assert.Equal(StoredObjectState.InMemory, test.StateOf(kept));
        await test.PinAndCheckAsync(kept);
    }
}
