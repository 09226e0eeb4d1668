namespace Plexus.Protocol.Framing;

/// <summary>Limits of one frame connection. Validated when the connection is created.</summary>
internal sealed record FrameConnectionOptions
{
    /// <summary>The default for <see cref="MaxFrameBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The largest frame body sent or accepted. A larger message is refused to its sender
    /// (<see cref="FrameTooLargeException"/>); a larger incoming length closes the connection
    /// (<see cref="MalformedFrameException"/>). Default: 64 MiB (large values travel through shared memory).
    /// </summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>
    /// Bytes queued and not yet taken by the transport above which
    /// <see cref="FrameConnection{TMessage}.SendAsync"/> waits for room (a frame always fits an
    /// empty buffer). At least <see cref="MaxFrameBytes"/>. Default: 64 MiB.
    /// </summary>
    public long SendBufferLimit { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes queued and not yet taken by the transport past which a synchronous
    /// <see cref="FrameConnection{TMessage}.Send"/> (which never waits) fails the connection: the
    /// message is not queued, the connection is closed, and the receive loop ends with
    /// <see cref="SendBufferOverflowException"/>. A peer that stops reading thus cannot grow the
    /// sender's memory without limit. At least <see cref="SendBufferLimit"/>, at most 1 GiB. Default: 256 MiB.
    /// </summary>
    public long SendBufferHardLimit { get; init; } = 256L * 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static FrameConnectionOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendBufferLimit, MaxFrameBytes, nameof(SendBufferLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendBufferHardLimit, SendBufferLimit, nameof(SendBufferHardLimit));
        // Queued frames live in one array.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SendBufferHardLimit, 1L << 30, nameof(SendBufferHardLimit));
    }
}
