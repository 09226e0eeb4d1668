using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Plexus.Protocol.Framing;

namespace Plexus.Protocol.Handshake;

/// <summary>
/// The preamble exchanged when a connection opens, before any frame: the connecting side
/// presents itself and the cluster token, the accepting side checks them and answers.
/// </summary>
/// <remarks>
/// Wire format, little-endian. Request: "PLXS", version (u16), cluster id, node id, incarnation
/// (u64 each), token length (u16, at most <see cref="MaxTokenBytes"/>), token (UTF-8).
/// Answer: "PLXS", version (u16), verdict (u8), cluster id, node id, incarnation (u64 each).
/// The magic and version lead the request, and the answer's layout never changes, so any two
/// versions can tell each other they differ: the acceptor reads the rest of a request only once
/// its version matches.
/// </remarks>
internal static class PreambleExchange
{
    /// <summary>The longest token a preamble carries, in UTF-8 bytes.</summary>
    public const int MaxTokenBytes = 1024;

    private const int HeaderBytes = 6;
    private const int RequestFieldsBytes = 26;
    private const int AnswerBytes = 31;
    private static ReadOnlySpan<byte> Magic => "PLXS"u8;

    /// <summary>
    /// Presents <paramref name="local"/> to the accepting side and returns its answer. Throws
    /// <see cref="ProtocolVersionMismatchException"/>, <see cref="InvalidClusterTokenException"/> or
    /// <see cref="ClusterMismatchException"/> when refused, <see cref="ConnectionClosedException"/>
    /// when the peer closes first, <see cref="MalformedFrameException"/> when it is not a Plexus endpoint.
    /// </summary>
    public static async ValueTask<ConnectionPreamble> ConnectAsync(IDuplexPipe pipe, ConnectionPreamble local, string endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(local);
        var token = Encoding.UTF8.GetBytes(local.Token);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(token.Length, MaxTokenBytes, nameof(local));
        var request = new byte[HeaderBytes + RequestFieldsBytes + token.Length];
        WriteHeader(request, local.Version);
        WriteIds(request.AsSpan(HeaderBytes), local);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(HeaderBytes + 24), (ushort)token.Length);
        token.CopyTo(request.AsSpan(HeaderBytes + RequestFieldsBytes));
        await pipe.Output.WriteAsync(request, cancellationToken).ConfigureAwait(false);

        var answer = await ReadAsync(pipe.Input, AnswerBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new ConnectionClosedException($"{endpoint} closed the connection before answering the preamble.");
        var version = ReadHeader(answer, "its answer");
        var remote = ReadIds(answer.AsSpan(HeaderBytes + 1), version);
        return (Verdict)answer[HeaderBytes] switch
        {
            Verdict.Accepted => remote,
            Verdict.VersionMismatch => throw new ProtocolVersionMismatchException(endpoint, local.Version, version),
            Verdict.TokenRejected => throw new InvalidClusterTokenException(endpoint),
            Verdict.WrongCluster => throw new ClusterMismatchException(endpoint, local.ClusterId, remote.ClusterId),
            var other => throw new MalformedFrameException($"{endpoint} answered the preamble with an unknown verdict {(byte)other}."),
        };
    }

    /// <summary>
    /// Reads the connecting side's preamble, checks its version, token (compared in constant time)
    /// and cluster against <paramref name="local"/>, answers, and returns it. A refused peer is told
    /// why and <see cref="PeerRefusedException"/> is thrown; bytes that are not a preamble throw
    /// <see cref="MalformedFrameException"/> (nothing is answered). Either way the caller closes
    /// that connection only.
    /// </summary>
    public static async ValueTask<ConnectionPreamble> AcceptAsync(IDuplexPipe pipe, ConnectionPreamble local, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(local);
        var header = await ReadAsync(pipe.Input, HeaderBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new MalformedFrameException("The peer closed the connection before sending its preamble.");
        var version = ReadHeader(header, "its first bytes");
        if (version != local.Version)
        {
            await AnswerAsync(pipe, Verdict.VersionMismatch, local, cancellationToken).ConfigureAwait(false);
            throw new PeerRefusedException($"a peer speaks protocol version {version}, this node speaks {local.Version}");
        }

        var fields = await ReadAsync(pipe.Input, RequestFieldsBytes, cancellationToken).ConfigureAwait(false)
            ?? throw Truncated();
        int tokenLength = BinaryPrimitives.ReadUInt16LittleEndian(fields.AsSpan(24));
        if (tokenLength > MaxTokenBytes)
        {
            throw new MalformedFrameException($"The peer's preamble carries a {tokenLength}-byte token; at most {MaxTokenBytes} are allowed.");
        }

        var token = await ReadAsync(pipe.Input, tokenLength, cancellationToken).ConfigureAwait(false) ?? throw Truncated();
        var remote = ReadIds(fields, version);
        // Constant time: how much of a guess matched must not show in how long the check takes.
        if (!CryptographicOperations.FixedTimeEquals(token, Encoding.UTF8.GetBytes(local.Token)))
        {
            await AnswerAsync(pipe, Verdict.TokenRejected, local, cancellationToken).ConfigureAwait(false);
            throw new PeerRefusedException($"a peer ({remote}) presented a wrong cluster token");
        }

        if (remote.ClusterId != 0 && remote.ClusterId != local.ClusterId)
        {
            await AnswerAsync(pipe, Verdict.WrongCluster, local, cancellationToken).ConfigureAwait(false);
            throw new PeerRefusedException($"a peer ({remote}) means to join another cluster");
        }

        await AnswerAsync(pipe, Verdict.Accepted, local, cancellationToken).ConfigureAwait(false);
        return remote;
    }

    private static async ValueTask AnswerAsync(IDuplexPipe pipe, Verdict verdict, ConnectionPreamble local, CancellationToken cancellationToken)
    {
        var answer = new byte[AnswerBytes];
        WriteHeader(answer, local.Version);
        answer[HeaderBytes] = (byte)verdict;
        WriteIds(answer.AsSpan(HeaderBytes + 1), local);
        await pipe.Output.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteHeader(Span<byte> destination, ushort version)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], version);
    }

    private static ushort ReadHeader(ReadOnlySpan<byte> source, string what)
    {
        if (!source.StartsWith(Magic))
        {
            throw new MalformedFrameException($"The peer is not a Plexus endpoint: {what} are not a Plexus preamble.");
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
    }

    private static void WriteIds(Span<byte> destination, ConnectionPreamble preamble)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, preamble.ClusterId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], preamble.NodeId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], preamble.Incarnation);
    }

    // The token is never echoed back: it stays empty in what is read.
    private static ConnectionPreamble ReadIds(ReadOnlySpan<byte> source, ushort version) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(source),
            BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            string.Empty) { Version = version };

    private static MalformedFrameException Truncated() => new("The peer closed the connection in the middle of its preamble.");

    // Exactly count bytes, or null when the connection ended first.
    private static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            // An empty token: nothing more will come, so waiting for bytes would wait forever.
            return [];
        }

        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null; // Reset by the peer.
            }

            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }

    private enum Verdict : byte
    {
        Accepted = 0,
        VersionMismatch = 1,
        TokenRejected = 2,
        WrongCluster = 3,
    }
}
