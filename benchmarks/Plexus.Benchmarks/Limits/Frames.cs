using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Plexus.Benchmarks.Limits;

/// <summary>
/// Length-prefixed frames the way the runtime's FrameConnection moves them (a 4-byte little-endian
/// length, <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/> to
/// write, a <see cref="PipeReader"/> over a <see cref="NetworkStream"/> to read) without its
/// serializer, so the round trip measured is the transport's alone.
/// </summary>
internal static class Frames
{
    /// <summary>The payload of every frame, after its 4-byte prefix.</summary>
    public const int PayloadBytes = 64;

    public static byte[] Create()
    {
        var frame = new byte[4 + PayloadBytes];
        BinaryPrimitives.WriteInt32LittleEndian(frame, PayloadBytes);
        frame.AsSpan(4).Fill(0x5a);
        return frame;
    }

    public static PipeReader Reader(Socket socket) =>
        PipeReader.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeReaderOptions(bufferSize: 64 * 1024));

    public static async ValueTask SendAsync(Socket socket, ReadOnlyMemory<byte> frame)
    {
        while (!frame.IsEmpty)
        {
            frame = frame[await socket.SendAsync(frame, SocketFlags.None).ConfigureAwait(false)..];
        }
    }

    /// <summary>Reads one whole frame; false when the peer closed the connection.</summary>
    public static async ValueTask<bool> ReceiveAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                var length = ReadLength(buffer);
                if (buffer.Length >= 4 + length)
                {
                    reader.AdvanceTo(buffer.GetPosition(4 + length));
                    return true;
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return false;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static int ReadLength(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        return length is > 0 and <= 1 << 20
            ? length
            : throw new InvalidDataException($"Frame length {length} is outside 1..1 MiB.");
    }
}
