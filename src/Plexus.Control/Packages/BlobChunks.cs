using System.Buffers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Packages;

/// <summary>
/// Cuts a blob's content into the chunks the protocol carries, the first naming the blob: what
/// both clients send for an upload and what the service sends for a download.
/// </summary>
internal static class BlobChunks
{
    /// <summary>
    /// 1 MiB: large enough that per-message costs vanish, well under gRPC's 4 MiB default message
    /// limit. An empty blob is one empty chunk, so the name always arrives.
    /// </summary>
    public const int ChunkSize = 1 << 20;

    public static async IAsyncEnumerable<Proto.BlobChunk> ReadAsync(
        string sha256, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            bool first = true;
            while (true)
            {
                int read = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read == 0 && !first)
                {
                    yield break;
                }

                yield return new Proto.BlobChunk
                {
                    Sha256 = first ? sha256 : string.Empty,
                    Data = ByteString.CopyFrom(buffer, 0, read),
                };
                first = false;
                if (read < ChunkSize)
                {
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
