using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// A node with a small store and no worker pool, driven as its embedded driver would drive it;
/// its store and spill files live in directories of the test's own, removed even if the test fails.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const long Capacity = 4L << 20;

    private static readonly JobId Job = JobId.NewRandom();
    private static int _nextTask;

    private readonly TempDirectory _storeDirectory = TempDirectory.InSharedMemory();
    private readonly TempDirectory _spillRoot = new();

    public TestNode(Action<NodeOptions>? configure = null)
    {
        var options = new NodeOptions
        {
            StoreCapacity = Capacity,
            StoreDirectory = _storeDirectory.Path,
            SpillDirectory = System.IO.Path.Combine(_spillRoot.Path, "spill"),
        };
        configure?.Invoke(options);
        Node = NodeDaemon.StartWithoutWorkers(options);
    }

    public NodeDaemon Node { get; }

    /// <summary>
    /// Attaches as the embedded driver; the returned action sends a message for the node, with the
    /// header the driver's runtime would give it.
    /// </summary>
    public Action<Message> AttachDriver(Action<Message> deliver)
    {
        var send = Node.AttachDriver(deliver);
        return message =>
        {
            message.Target = ProcessAddress.NodeOf(Node.NodeId);
            message.Source = new ProcessAddress(Node.NodeId, ProcessAddress.DriverProcess);
            send(message);
        };
    }

    public static ObjectId NewId() => new(TaskId.Root(Job).Child((ulong)Interlocked.Increment(ref _nextTask)), 1);

    /// <summary>Creates, fills with a pattern of its own and seals an object of <paramref name="size"/> bytes.</summary>
    public async Task<ObjectId> PutAsync(long size)
    {
        var id = NewId();
        var created = await Node.CreateObjectAsync(id, size);
        Assert.Null(created.Error);
        Pattern(id, Node.Arena.GetSpan(created.Offset, (int)size));
        Node.SealObject(id, ValueFormat.RawArray);
        return id;
    }

    /// <summary>Pins the object, checks its bytes are the pattern it was written with, and returns the pin.</summary>
    public async Task<ObjectValue> PinAndCheckAsync(ObjectId id)
    {
        var reply = await Node.PinObjectAsync(id);
        Assert.True(reply.Found, $"object {id} not found: {reply.Error?.Message}");
        var value = reply.Value!;
        var expected = new byte[value.Size];
        Pattern(id, expected);
        Assert.True(expected.AsSpan().SequenceEqual(Node.Arena.GetSpan(value.Offset, (int)value.Size)), $"object {id} changed");
        return value;
    }

    public StoredObjectState StateOf(ObjectId id) => Node.DescribeStore().Single(o => o.Id == id).State;

    public static void Pattern(ObjectId id, Span<byte> bytes)
    {
        var random = new Random(HashCode.Combine(id.Task.Path, id.Index));
        random.NextBytes(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Node.DisposeAsync();
        }
        finally
        {
            _storeDirectory.Dispose();
            _spillRoot.Dispose();
        }
    }
}
