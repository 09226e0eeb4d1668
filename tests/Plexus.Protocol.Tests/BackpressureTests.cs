using Plexus.Protocol.Framing;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>
/// A peer that stops reading slows its async senders down and fails the connection of its
/// synchronous ones: the sender's memory stays bounded either way.
/// </summary>
public sealed class BackpressureTests
{
    // Small limits, so the bound is reached with little memory.
    private static readonly FrameConnectionOptions Small = new()
    {
        MaxFrameBytes = 64 * 1024,
        SendBufferLimit = 256 * 1024,
        SendBufferHardLimit = 1024 * 1024,
    };

    // 16 KiB on the wire with its length prefix.
    private const int FrameBytes = 16 * 1024;
    private static readonly byte[] Frame = new byte[FrameBytes - 4];

    // What an in-memory pipe holds before its writer must wait (its pause threshold).
    private const int PipeBytes = 64 * 1024;

    // Far past any bound: a sender that got this far never met one.
    private const int Unbounded = 1000;

    [Fact]
    public async Task AnAsyncSenderWaitsWhileThePeerDoesNotReadAndGoesOnOnceItReads()
    {
        var (sending, receiving, listener) = await OpenPairAsync();
        await using var _ = listener;
        await using var sender = FrameClient.Over(sending, Small);

        var accepted = 0;
        ValueTask waiting = default;
        for (; accepted < Unbounded; accepted++)
        {
            waiting = sender.Connection.SendAsync(Frame);
            if (!waiting.IsCompleted)
            {
                break;
            }

            await waiting;
        }

        Assert.True(accepted < Unbounded, "the sender never waited: its buffer grew without bound");
        Assert.InRange((long)accepted * FrameBytes, Small.SendBufferLimit - FrameBytes, Small.SendBufferLimit + PipeBytes);

        await using var reader = FrameClient.Over(receiving);
        await waiting.AsTask().WaitAsync(TestEndpoints.Patience);
        for (var i = 0; i <= accepted; i++)
        {
            Assert.Equal(Frame.Length, (await reader.NextAsync()).Length);
        }
    }

    [Fact]
    public async Task ASyncSenderPastTheHardLimitFailsTheConnectionInsteadOfGrowing()
    {
        var (sending, receiving, listener) = await OpenPairAsync();
        await using var _ = listener;
        await using var sender = FrameClient.Over(sending, Small);

        var accepted = 0;
        ConnectionClosedException? closed = null;
        while (accepted < Unbounded && closed is null)
        {
            try
            {
                sender.Connection.Send(Frame);
                accepted++;
            }
            catch (ConnectionClosedException e)
            {
                closed = e;
            }
        }

        Assert.True(closed is not null, "the sender never hit a limit: its buffer grew without bound");
        Assert.InRange((long)accepted * FrameBytes, Small.SendBufferHardLimit - FrameBytes, Small.SendBufferHardLimit + PipeBytes);
        Assert.IsType<SendBufferOverflowException>(closed.InnerException);
        await Assert.ThrowsAsync<SendBufferOverflowException>(() => sender.Receiving.WaitAsync(TestEndpoints.Patience));
        Assert.Throws<ConnectionClosedException>(() => sender.Connection.Send(Frame));

        // The peer sees the connection end once it reads what had reached it.
        await using var reader = FrameClient.Over(receiving);
        await reader.Receiving.WaitAsync(TestEndpoints.Patience);
    }

    [Fact]
    public async Task ASocketConnectionFailedByOverflowClosesCleanlyWhenItsOwnerDisposesItToo()
    {
        // Over a real socket: the overflow disposes the transport, then its owner does (the node's
        // cleanup of a dead process runs after that dispose, so it must not throw).
        var endpoint = TestEndpoints.Fresh("unix");
        var transport = Transports.For(endpoint);
        await using var listener = await transport.ListenAsync(endpoint);
        var sending = await transport.ConnectAsync(endpoint);
        await using var receiving = await listener.AcceptAsync().AsTask().WaitAsync(TestEndpoints.Patience);
        var sender = FrameClient.Over(sending, Small);

        // The socket's kernel buffers take some before the sender's own buffer fills: send until refused.
        await Assert.ThrowsAsync<ConnectionClosedException>(async () =>
        {
            for (var i = 0; i < 100 * Unbounded; i++)
            {
                sender.Connection.Send(Frame);
                await Task.Yield();
            }
        });
        await Assert.ThrowsAsync<SendBufferOverflowException>(() => sender.Receiving.WaitAsync(TestEndpoints.Patience));

        await sender.DisposeAsync();
        await sending.DisposeAsync();
    }

    [Fact]
    public void ABufferLimitBelowOneLargestFrameIsRefused()
    {
        var options = Small with { SendBufferLimit = Small.MaxFrameBytes - 1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameConnection<byte[]>(null!, BytesCodec.Instance, options));
    }

    // In memory: the pipe between the two sides holds little, so the sender's own buffer is what fills.
    private static async Task<(ITransportConnection Sending, ITransportConnection Receiving, ITransportListener Listener)> OpenPairAsync()
    {
        var endpoint = TestEndpoints.Fresh("mem");
        var listener = await InMemoryTransport.Shared.ListenAsync(endpoint);
        var sending = await InMemoryTransport.Shared.ConnectAsync(endpoint);
        var receiving = await listener.AcceptAsync().AsTask().WaitAsync(TestEndpoints.Patience);
        return (sending, receiving, listener);
    }
}
