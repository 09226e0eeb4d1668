using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using MemoryPack;
using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Framing;

/// <summary>
/// One socket carrying length-prefixed <see cref="Message"/> frames both ways.
/// Sends never block the caller: frames are appended to a buffer and a single flusher writes
/// whatever has accumulated in one socket write, so bursts of small messages are batched.
/// </summary>
public sealed class FrameConnection : IAsyncDisposable
{
    /// <summary>Frames larger than this are refused: large values travel through shared memory.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly object _writeLock = new();
    // Frames appended by senders and not yet handed to the socket (guarded by _writeLock).
    private FrameBuffer _pending = new(64 * 1024);
    // The buffer the flusher is writing to the socket; only the flusher touches it.
    private FrameBuffer _sending = new(64 * 1024);
    // True while a flusher is running; it keeps going until _pending is empty (guarded by _writeLock).
    private bool _flushing;
    // Set once the socket failed or was disposed; later sends throw (guarded by _writeLock).
    private bool _closed;
    // Bytes ever queued, and bytes ever handed to the socket (guarded by _writeLock).
    private long _queuedBytes;
    private long _writtenBytes;
    // FlushAsync callers, each waiting for _writtenBytes to reach its target (guarded by _writeLock).
    private List<(long Target, TaskCompletionSource Done)>? _flushWaiters;
    // Writes what SendLazily queued if no other send has carried it by then (made on first use).
    private Timer? _lazyFlush;
    // True while _lazyFlush is armed (guarded by _writeLock).
    private bool _lazyFlushArmed;
    // The delay SendLazily was last given: how long lazy frames may wait (guarded by _writeLock).
    private TimeSpan _lazyDelay;
    // True when _pending holds a frame that must not wait: one from Send, or lazy frames whose
    // wait is over. Lazy frames alone are not written, not even by a flusher already running, so
    // they ride with the next urgent frame instead of costing a write of their own (guarded by _writeLock).
    private bool _pendingIsUrgent;

    public FrameConnection(Socket socket)
    {
        _socket = socket;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            // Small frames must not wait for Nagle's algorithm; batching is done here instead.
            _socket.NoDelay = true;
        }
    }

    /// <summary>
    /// Queues a message. Throws <see cref="ConnectionClosedException"/> once the connection is
    /// closed, and <see cref="FrameTooLargeException"/> for a message over <see cref="MaxFrameBytes"/>
    /// (nothing is queued then).
    /// </summary>
    public void Send(Message message)
    {
        lock (_writeLock)
        {
            Append(message);
            _pendingIsUrgent = true;
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        if (!FrameBatch.TryDefer(this))
        {
            StartFlush();
        }
    }

    /// <summary>
    /// Queues a message that may wait up to <paramref name="maxDelay"/> for another send to carry
    /// it, rather than cost a socket write (and a wake-up of the peer) of its own. Fails as
    /// <see cref="Send"/> does.
    /// </summary>
    public void SendLazily(Message message, TimeSpan maxDelay)
    {
        lock (_writeLock)
        {
            Append(message);
            _lazyDelay = maxDelay;
            ArmLazyFlush();
        }
    }

    // Under _writeLock: lazy frames wait in _pending; make sure they leave within _lazyDelay.
    private void ArmLazyFlush()
    {
        if (_lazyFlushArmed)
        {
            return;
        }

        _lazyFlushArmed = true;
        _lazyFlush ??= new Timer(static state => ((FrameConnection)state!).FlushLazyFrames(), this, Timeout.Infinite, Timeout.Infinite);
        _lazyFlush.Change(_lazyDelay, Timeout.InfiniteTimeSpan);
    }

    // Under _writeLock: serializes one frame into _pending.
    private void Append(Message message)
    {
        if (_closed)
        {
            throw new ConnectionClosedException("The connection to the peer is closed.");
        }

        var start = _pending.BeginFrame();
        try
        {
            MemoryPackSerializer.Serialize(_pending, message);
        }
        catch
        {
            _pending.Truncate(start);
            throw;
        }

        if (_pending.EndFrame(start) > MaxFrameBytes)
        {
            _pending.Truncate(start);
            throw new FrameTooLargeException($"A {message.GetType().Name} message is larger than {MaxFrameBytes} bytes; large values belong in the object store.");
        }

        _queuedBytes += _pending.WrittenCount - start;
    }

    private void FlushLazyFrames()
    {
        lock (_writeLock)
        {
            _lazyFlushArmed = false;
            if (_closed || _pending.WrittenCount == 0)
            {
                return;
            }

            _pendingIsUrgent = true;
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        StartFlush();
    }

    /// <summary>
    /// Completes once every message queued before the call has been handed to the socket (at
    /// once if nothing is waiting), or the connection has closed. Lazily sent messages go now.
    /// </summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_writeLock)
        {
            if (_closed || _writtenBytes == _queuedBytes)
            {
                return Task.CompletedTask;
            }

            (_flushWaiters ??= []).Add((_queuedBytes, done));
            _pendingIsUrgent = true;
            if (_flushing)
            {
                return done.Task;
            }

            _flushing = true;
        }

        StartFlush();
        return done.Task;
    }

    internal void StartFlush() => _ = FlushLoopAsync();

    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                lock (_writeLock)
                {
                    if (_pending.WrittenCount == 0 || !_pendingIsUrgent)
                    {
                        _flushing = false;
                        if (_pending.WrittenCount > 0)
                        {
                            ArmLazyFlush();
                        }

                        return;
                    }

                    (_pending, _sending) = (_sending, _pending);
                    _pendingIsUrgent = false;
                }

                var data = _sending.WrittenMemory;
                while (!data.IsEmpty)
                {
                    var sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
                    data = data[sent..];
                }

                lock (_writeLock)
                {
                    _writtenBytes += _sending.WrittenCount;
                    ReleaseFlushWaiters();
                }

                _sending.Clear();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            lock (_writeLock)
            {
                _closed = true;
                _flushing = false;
                ReleaseFlushWaiters();
            }
        }
    }

    // Under _writeLock: completes the FlushAsync callers whose bytes are written (all once closed).
    private void ReleaseFlushWaiters()
    {
        if (_flushWaiters is not { Count: > 0 } waiters)
        {
            return;
        }

        waiters.RemoveAll(waiter =>
        {
            if (!_closed && waiter.Target > _writtenBytes)
            {
                return false;
            }

            waiter.Done.TrySetResult();
            return true;
        });
    }

    /// <summary>
    /// Reads frames until the peer closes the connection, handing each message to
    /// <paramref name="onMessage"/> on the reading thread (handlers must not block).
    /// Throws <see cref="MalformedFrameException"/> on a corrupt, oversized or truncated frame.
    /// </summary>
    public async Task ReceiveAsync(Action<Message> onMessage, CancellationToken cancellationToken = default)
    {
        var reader = PipeReader.Create(new NetworkStream(_socket, ownsSocket: false), new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    return; // The peer reset the connection: same as a close.
                }

                var buffer = result.Buffer;
                using (FrameBatch.Begin())
                {
                    while (TryReadFrame(ref buffer, out var frame))
                    {
                        onMessage(Decode(frame));
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new MalformedFrameException($"The connection closed in the middle of a frame ({buffer.Length} bytes left over).");
                    }

                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0 || length > MaxFrameBytes)
        {
            throw new MalformedFrameException($"Frame length {length} is outside 1..{MaxFrameBytes} bytes.");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        frame = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    private static Message Decode(in ReadOnlySequence<byte> frame)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<Message>(frame)
                ?? throw new MalformedFrameException("A frame decoded to no message.");
        }
        catch (Exception e) when (e is not MalformedFrameException and not OutOfMemoryException)
        {
            // MemoryPack reports bad input with several exception types; all mean the same here.
            throw new MalformedFrameException($"A frame could not be decoded: {e.Message}", e);
        }
    }

    /// <summary>Closes the socket; pending sends are dropped.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_writeLock)
        {
            _closed = true;
            ReleaseFlushWaiters();
        }

        _lazyFlush?.Dispose();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }

        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
