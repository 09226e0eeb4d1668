using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Framing;

/// <summary>
/// Length-prefixed frames both ways over one transport connection: a 4-byte little-endian body
/// length, then the body, which <paramref name="codec"/> reads and writes.
/// </summary>
/// <remarks>
/// Sends are batched: senders serialize into a buffer under a lock, and a single flusher hands
/// whatever has accumulated to the transport in one write. The buffer is bounded: counting the
/// batch the flusher is writing, <see cref="SendAsync"/> waits while a frame would take it past
/// <see cref="FrameConnectionOptions.SendBufferLimit"/>; <see cref="Send"/> and
/// <see cref="SendLazily"/> never wait (they are called under other locks) and instead fail the
/// connection past <see cref="FrameConnectionOptions.SendBufferHardLimit"/>.
/// </remarks>
internal sealed class FrameConnection<TMessage>(ITransportConnection transport, IFrameCodec<TMessage> codec, FrameConnectionOptions? options = null)
    : FrameBatch.IDeferredFlush, IAsyncDisposable
    where TMessage : class
{
    private readonly FrameConnectionOptions _options = Validated(options ?? FrameConnectionOptions.Default);
    private readonly object _writeLock = new();
    // Frames appended by senders and not yet handed to the transport (guarded by _writeLock).
    private FrameBuffer _pending = new(64 * 1024);
    // The buffer the flusher is writing to the transport; only the flusher touches it.
    private FrameBuffer _sending = new(64 * 1024);
    // True while a flusher is running; it keeps going until _pending is empty (guarded by _writeLock).
    private bool _flushing;
    // Set once the transport failed or the connection was disposed; later sends throw (guarded by _writeLock).
    private bool _closed;
    // Why the connection was closed from this side, surfaced by ReceiveAsync (guarded by _writeLock).
    private SendBufferOverflowException? _fault;
    // True once ReceiveAsync owns the transport's reader, which it completes (guarded by _writeLock).
    private bool _receiving;
    // Bytes ever queued, and bytes ever taken by the transport: their difference is what the
    // bound counts (guarded by _writeLock).
    private long _queuedBytes;
    private long _writtenBytes;
    // FlushAsync callers, each waiting for _writtenBytes to reach its target (guarded by _writeLock).
    private List<(long Target, TaskCompletionSource Done)>? _flushWaiters;
    // Completed when the flusher frees room or the connection closes: SendAsync callers waiting
    // for room then try again (guarded by _writeLock; made by the first waiter).
    private TaskCompletionSource? _roomFreed;
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

    /// <summary>
    /// Queues a message without waiting. Throws <see cref="ConnectionClosedException"/> once the
    /// connection is closed, and <see cref="FrameTooLargeException"/> for a message over
    /// <see cref="FrameConnectionOptions.MaxFrameBytes"/> (nothing is queued then). A message that
    /// would take the queue past <see cref="FrameConnectionOptions.SendBufferHardLimit"/> closes the
    /// connection and throws <see cref="ConnectionClosedException"/>.
    /// </summary>
    public void Send(TMessage message)
    {
        lock (_writeLock)
        {
            if (!TryAppend(message, _options.SendBufferHardLimit))
            {
                FailOverflowed();
            }

            if (!ClaimFlush())
            {
                return;
            }
        }

        StartOrDeferFlush();
    }

    /// <summary>
    /// Queues a message, first waiting while it would take the queue past
    /// <see cref="FrameConnectionOptions.SendBufferLimit"/> (a peer that reads slowly slows its
    /// senders down). Fails as <see cref="Send"/> does, and with <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires while waiting (nothing is queued then).
    /// </summary>
    public async ValueTask SendAsync(TMessage message, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task roomFreed;
            bool startFlush;
            lock (_writeLock)
            {
                if (TryAppend(message, _options.SendBufferLimit))
                {
                    startFlush = ClaimFlush();
                    roomFreed = Task.CompletedTask;
                }
                else
                {
                    // What is queued ahead must leave for room to come, lazy frames included.
                    startFlush = ClaimFlush();
                    roomFreed = (_roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }

            if (startFlush)
            {
                StartOrDeferFlush();
            }

            if (roomFreed.IsCompleted)
            {
                return;
            }

            await roomFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a message that may wait up to <paramref name="maxDelay"/> for another send to carry
    /// it, rather than cost a transport write (and a wake-up of the peer) of its own. Never waits;
    /// fails as <see cref="Send"/> does.
    /// </summary>
    public void SendLazily(TMessage message, TimeSpan maxDelay)
    {
        lock (_writeLock)
        {
            if (!TryAppend(message, _options.SendBufferHardLimit))
            {
                FailOverflowed();
            }

            _lazyDelay = maxDelay;
            ArmLazyFlush();
        }
    }

    // Under _writeLock: marks what is queued as urgent; true if the caller must start the flusher.
    private bool ClaimFlush()
    {
        _pendingIsUrgent = true;
        if (_flushing)
        {
            return false;
        }

        _flushing = true;
        return true;
    }

    private void StartOrDeferFlush()
    {
        if (!FrameBatch.TryDefer(this))
        {
            StartFlush();
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
        _lazyFlush ??= new Timer(static state => ((FrameConnection<TMessage>)state!).FlushLazyFrames(), this, Timeout.Infinite, Timeout.Infinite);
        _lazyFlush.Change(_lazyDelay, Timeout.InfiniteTimeSpan);
    }

    // Under _writeLock: serializes one frame into _pending, unless it would take the bytes not yet
    // written past limit (then nothing is queued and it returns false). A frame alone always fits,
    // so the queue holds at most limit bytes or one frame.
    private bool TryAppend(TMessage message, long limit)
    {
        if (_closed)
        {
            throw new ConnectionClosedException("The connection to the peer is closed.", _fault);
        }

        var payload = message is IFramePayload carrier ? carrier.Payload : ReadOnlySequence<byte>.Empty;
        var withPayload = !payload.IsEmpty;
        if (withPayload && payload.Length > _options.MaxFrameBytes)
        {
            throw new FrameTooLargeException($"A {message.GetType().Name} message carries {payload.Length} bytes, more than a frame's {_options.MaxFrameBytes}.");
        }

        var start = _pending.BeginFrame(withPayload);
        try
        {
            codec.Write(_pending, message);
        }
        catch
        {
            _pending.Truncate(start);
            throw;
        }

        var bodyLength = withPayload ? _pending.EndFrame(start, payload) : _pending.EndFrame(start);
        if (bodyLength > _options.MaxFrameBytes)
        {
            _pending.Truncate(start);
            throw new FrameTooLargeException($"A {message.GetType().Name} message is larger than {_options.MaxFrameBytes} bytes; large values belong in the object store.");
        }

        var frameBytes = FrameBuffer.PrefixBytes + bodyLength;
        var unwritten = _queuedBytes - _writtenBytes;
        if (unwritten > 0 && unwritten + frameBytes > limit)
        {
            _pending.Truncate(start);
            return false;
        }

        _queuedBytes += frameBytes;
        return true;
    }

    // Under _writeLock: a sender that may not wait found the queue full: the peer is not reading.
    // The connection is failed rather than let the queue grow; the receive loop reports why.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void FailOverflowed()
    {
        _fault = new SendBufferOverflowException(
            $"The peer stopped reading: {_queuedBytes - _writtenBytes} bytes waited to be sent, and one more message would pass the limit of {_options.SendBufferHardLimit} bytes; the connection was closed.");
        Close();
        // Closing the transport wakes this connection's reader; not under the caller's lock.
        _ = Task.Run(() => transport.DisposeAsync().AsTask());
        throw new ConnectionClosedException("The connection to the peer was closed: " + _fault.Message, _fault);
    }

    // Under _writeLock: no more sends; everyone waiting is released.
    private void Close()
    {
        _closed = true;
        ReleaseFlushWaiters();
        ReleaseRoomWaiters();
    }

    private void FlushLazyFrames()
    {
        lock (_writeLock)
        {
            _lazyFlushArmed = false;
            if (_closed || _pending.WrittenCount == 0 || !ClaimFlush())
            {
                return;
            }
        }

        StartFlush();
    }

    /// <summary>
    /// Completes once every message queued before the call has been taken by the transport (at
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
            if (!ClaimFlush())
            {
                return done.Task;
            }
        }

        StartFlush();
        return done.Task;
    }

    void FrameBatch.IDeferredFlush.StartFlush() => StartFlush();

    private void StartFlush() => _ = FlushLoopAsync();

    private async Task FlushLoopAsync()
    {
        var output = transport.Output;
        try
        {
            while (true)
            {
                lock (_writeLock)
                {
                    if (_closed || _pending.WrittenCount == 0 || !_pendingIsUrgent)
                    {
                        _flushing = false;
                        if (!_closed && _pending.WrittenCount > 0)
                        {
                            ArmLazyFlush();
                        }

                        return;
                    }

                    (_pending, _sending) = (_sending, _pending);
                    _pendingIsUrgent = false;
                }

                var result = await _sending.WriteToAsync(output).ConfigureAwait(false);
                if (result.IsCanceled || result.IsCompleted)
                {
                    break; // Closed under the write, or the peer stopped reading for good.
                }

                lock (_writeLock)
                {
                    _writtenBytes += _sending.WrittenCount;
                    ReleaseFlushWaiters();
                    ReleaseRoomWaiters();
                }

                _sending.Clear();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            || (e is InvalidOperationException && IsClosed()))
        {
            // The transport failed or was closed under the write (a pipe completed by dispose).
        }

        lock (_writeLock)
        {
            _flushing = false;
            Close();
        }
    }

    private bool IsClosed()
    {
        lock (_writeLock)
        {
            return _closed;
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

    // Under _writeLock: SendAsync callers waiting for room try again.
    private void ReleaseRoomWaiters()
    {
        _roomFreed?.TrySetResult();
        _roomFreed = null;
    }

    /// <summary>
    /// Reads frames until the peer closes the connection or it is disposed, handing each message
    /// to <paramref name="onMessage"/> on the reading thread (handlers must not block). Call it
    /// once. Throws <see cref="MalformedFrameException"/> on a corrupt, oversized or truncated
    /// frame, and <see cref="SendBufferOverflowException"/> when this side closed the connection
    /// because the peer stopped reading.
    /// </summary>
    public async Task ReceiveAsync(Action<TMessage> onMessage, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            _receiving = true;
        }

        var reader = transport.Input;
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
                    break; // The peer reset the connection: same as a close.
                }

                if (result.IsCanceled)
                {
                    break; // Disposed, or closed by a send that found the peer not reading.
                }

                var buffer = result.Buffer;
                using (FrameBatch.Begin())
                {
                    while (TryReadFrame(ref buffer, out var frame, out var payload))
                    {
                        Deliver(codec.Read(frame), payload, onMessage);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new MalformedFrameException($"The connection closed in the middle of a frame ({buffer.Length} bytes left over).");
                    }

                    break;
                }
            }

            lock (_writeLock)
            {
                if (_fault is not null)
                {
                    throw _fault;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Hands a message to the handler with the payload its frame carried, which is the transport's
    // buffer and so is taken back from the message once the handler returns.
    private static void Deliver(TMessage message, in ReadOnlySequence<byte> payload, Action<TMessage> onMessage)
    {
        if (message is not IFramePayload carrier)
        {
            if (!payload.IsEmpty)
            {
                throw new MalformedFrameException($"A frame carried {payload.Length} payload bytes for a {message.GetType().Name}, which takes none.");
            }

            onMessage(message);
            return;
        }

        carrier.Payload = payload;
        try
        {
            onMessage(message);
        }
        finally
        {
            carrier.Payload = ReadOnlySequence<byte>.Empty;
        }
    }

    // Takes one whole frame off the front of buffer: its message's bytes, and its payload's (empty
    // for a frame without one).
    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message, out ReadOnlySequence<byte> payload)
    {
        message = default;
        payload = default;
        if (buffer.Length < FrameBuffer.PrefixBytes)
        {
            return false;
        }

        var prefix = ReadUInt32(buffer);
        var withPayload = (prefix & FrameBuffer.PayloadFlag) != 0;
        var length = (long)(prefix & ~FrameBuffer.PayloadFlag);
        if (length <= 0 || length > _options.MaxFrameBytes)
        {
            throw new MalformedFrameException($"Frame length {length} is outside 1..{_options.MaxFrameBytes} bytes.");
        }

        if (buffer.Length < FrameBuffer.PrefixBytes + length)
        {
            return false;
        }

        message = buffer.Slice(FrameBuffer.PrefixBytes, length);
        buffer = buffer.Slice(FrameBuffer.PrefixBytes + length);
        if (withPayload)
        {
            var messageLength = length < FrameBuffer.PrefixBytes ? 0 : ReadUInt32(message);
            if (messageLength == 0 || messageLength > length - FrameBuffer.PrefixBytes)
            {
                throw new MalformedFrameException($"A frame of {length} bytes names a message of {messageLength} bytes before its payload.");
            }

            payload = message.Slice(FrameBuffer.PrefixBytes + messageLength);
            message = message.Slice(FrameBuffer.PrefixBytes, messageLength);
        }

        return true;
    }

    private static uint ReadUInt32(in ReadOnlySequence<byte> bytes)
    {
        Span<byte> value = stackalloc byte[sizeof(uint)];
        bytes.Slice(0, sizeof(uint)).CopyTo(value);
        return BinaryPrimitives.ReadUInt32LittleEndian(value);
    }

    /// <summary>Closes the connection; queued messages not yet written are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        bool completeReader;
        lock (_writeLock)
        {
            Close();
            completeReader = !_receiving;
            _receiving = true;
        }

        if (_lazyFlush is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await transport.DisposeAsync().ConfigureAwait(false);
        if (completeReader)
        {
            // Nobody reads: the peer's writes end at once instead of filling the transport.
            await transport.Input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static FrameConnectionOptions Validated(FrameConnectionOptions options)
    {
        options.Validate();
        return options;
    }
}
