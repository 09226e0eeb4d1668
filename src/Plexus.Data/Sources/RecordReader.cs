using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Plexus.Data.Operators;

namespace Plexus.Data.Sources;

/// <summary>
/// Reads a file of fixed-size records of an unmanaged type, stored as their raw bytes back to back
/// (the machine's byte order): each batch is read into a pooled buffer and pushed as a span over
/// those same bytes, with no copy and no per-row work.
/// </summary>
internal static class RecordReader
{
    /// <summary>Pushes the records of <paramref name="split"/> into <paramref name="sink"/>, in batches of <see cref="SourceBatch.Rows"/>, at most <paramref name="rowLimit"/> of them.</summary>
    /// <returns>The number of records pushed.</returns>
    /// <exception cref="DataFormatException">The split ends at the end of a file whose length is not a whole number of records; nothing is pushed. <see cref="DataFormatException.ByteOffset"/> is where the partial record starts.</exception>
    /// <exception cref="ArgumentException">The split is in row groups, or a boundary inside the file is not a multiple of the record size.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between batches).</exception>
    public static long Read<T>(SourceSplit split, IBatchSink<T> sink, long rowLimit, CancellationToken cancellationToken)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        var recordBytes = Unsafe.SizeOf<T>();
        using var file = File.OpenHandle(split.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var fileLength = RandomAccess.GetLength(file);
        var end = Math.Min(split.End, fileLength);
        ThrowIfNotWholeRecords(split, recordBytes, end, fileLength);

        var buffer = ArrayPool<byte>.Shared.Rent(SourceBatch.Rows * recordBytes);
        try
        {
            var batchBytes = buffer.Length / recordBytes * recordBytes;
            var offset = split.Start;
            long rows = 0;
            while (offset < end && rows < rowLimit)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var wanted = (int)Math.Min(batchBytes, end - offset);
                if (rowLimit - rows < wanted / recordBytes)
                {
                    wanted = (int)(rowLimit - rows) * recordBytes;
                }

                var chunk = buffer.AsSpan(0, wanted);
                ReadExactly(file, chunk, offset, split);
                sink.Push(MemoryMarshal.Cast<byte, T>(chunk));
                offset += wanted;
                rows += wanted / recordBytes;
            }

            return rows;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ThrowIfNotWholeRecords(SourceSplit split, int recordBytes, long end, long fileLength)
    {
        if (split.Unit != SplitUnit.Bytes || split.Start % recordBytes != 0 || (end < fileLength && end % recordBytes != 0))
        {
            throw new ArgumentException($"A split of {recordBytes}-byte records must start and end on record boundaries: {split.Describe()}.", nameof(split));
        }

        var partial = (end - split.Start) % recordBytes;
        if (partial != 0)
        {
            throw new DataFormatException(
                split.Path,
                $"the file is {fileLength} bytes, not a whole number of {recordBytes}-byte records: its last {partial} bytes are part of a record. Check that the file was written with this record type, and not cut short",
                byteOffset: fileLength - partial);
        }
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> chunk, long offset, SourceSplit split)
    {
        while (chunk.Length > 0)
        {
            var read = RandomAccess.Read(file, chunk, offset);
            if (read == 0)
            {
                throw new IOException($"The file {split.Path} became shorter while it was read ({split.Describe()}, at byte {offset}).");
            }

            chunk = chunk[read..];
            offset += read;
        }
    }
}
