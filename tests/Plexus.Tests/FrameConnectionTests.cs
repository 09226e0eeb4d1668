using System.Net.Sockets;
using System.Threading.Channels;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Tests;

/// <summary>Lazy sends and flushes on a real socket pair: what the worker's start reports rely on.</summary>
public sealed class FrameConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly Channel<Message> _received = Channel.CreateUnbounded<Message>();
    private FrameConnection _sender = null!;
    private FrameConnection _receiver = null!;
    private Task _receiving = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var name = "\0plexus-test-" + Guid.NewGuid().ToString("N");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(name));
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var accepted = listener.AcceptAsync();
        await client.ConnectAsync(new UnixDomainSocketEndPoint(name));
        _sender = new FrameConnection(client);
        _receiver = new FrameConnection(await accepted);
        _receiving = _receiver.ReceiveAsync(message => _received.Writer.TryWrite(message));
    }

    public async Task DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(10));
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task ALazyMessageLeavesWithTheNextSendInOrder()
    {
        _sender.SendLazily(Started(1), Never);
        _sender.Send(Started(2));

        Assert.Equal(Started(1).Task, ((TaskStarted)await NextAsync()).Task);
        Assert.Equal(Started(2).Task, ((TaskStarted)await NextAsync()).Task);
    }

    [Fact]
    public async Task ALazyMessageLeavesOnItsOwnOnceItsDelayIsOver()
    {
        _sender.SendLazily(Started(1), TimeSpan.FromMilliseconds(5));
        Assert.Equal(Started(1).Task, ((TaskStarted)await NextAsync()).Task);
    }

    [Fact]
    public async Task FlushWritesLazyMessagesAndCompletesOnceTheyAreOnTheSocket()
    {
        _sender.SendLazily(Started(1), Never);
        await _sender.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Written before the flush completed: nothing else sends it.
        Assert.Equal(Started(1).Task, ((TaskStarted)await NextAsync()).Task);
    }

    private async Task<Message> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    private static readonly JobId Job = JobId.NewRandom();

    private static TaskStarted Started(ulong path) => new() { Task = new TaskId(Job, path) };
}
