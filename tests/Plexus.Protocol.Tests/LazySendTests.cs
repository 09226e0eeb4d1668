using System.Threading.Channels;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>Lazy sends and flushes of node messages over a real Unix socket: what the worker's start reports rely on.</summary>
public sealed class LazySendTests : IAsyncLifetime
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly Channel<Message> _received = Channel.CreateUnbounded<Message>();
    private FrameConnection<Message> _sender = null!;
    private FrameConnection<Message> _receiver = null!;
    private Task _receiving = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var endpoint = TestEndpoints.Fresh("unix");
        await using var listener = await UnixSocketTransport.Instance.ListenAsync(endpoint);
        _sender = MessageConnection.Open(await UnixSocketTransport.Instance.ConnectAsync(endpoint));
        _receiver = MessageConnection.Open(await listener.AcceptAsync());
        _receiving = _receiver.ReceiveAsync(message => _received.Writer.TryWrite(message));
    }

    public async Task DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _receiving.WaitAsync(TestEndpoints.Patience);
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
        await _sender.FlushAsync().WaitAsync(TestEndpoints.Patience);

        // Written before the flush completed: nothing else sends it.
        Assert.Equal(Started(1).Task, ((TaskStarted)await NextAsync()).Task);
    }

    private async Task<Message> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(TestEndpoints.Patience);

    private static readonly JobId Job = JobId.NewRandom();

    private static TaskStarted Started(ulong path) => new() { Task = new TaskId(Job, path) };
}
