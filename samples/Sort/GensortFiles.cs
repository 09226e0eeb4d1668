using System.Runtime.InteropServices;

namespace Plexus.Samples.Sort;

/// <summary>
/// Folders of gensort record files: the data files of a folder in order, generated files, and
/// reading a file's records in batches. A file holds only records (no header), so a file of N
/// records is N × 100 bytes, as gensort writes them.
/// </summary>
internal static class GensortFiles
{
    /// <summary>The records read or generated at a time: 4 MB.</summary>
    public const int BatchRecords = 40_000;

    /// <summary>
    /// The data files directly in <paramref name="directory"/>, in ordinal name order (the order a
    /// sorted output's parts follow). Names starting with <c>_</c> or <c>.</c> are markers and
    /// work in progress (<c>_SUCCESS</c>, <c>_temporary</c>), not data, and are left out.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static IReadOnlyList<string> List(string directory)
    {
        var files = Directory.GetFiles(directory)
            .Where(path => Path.GetFileName(path) is var name && !name.StartsWith('_') && !name.StartsWith('.'))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Generates records 0 .. <paramref name="records"/> - 1 of the data set named by
    /// <paramref name="seed"/> into files <c>part-00000</c>, <c>part-00001</c>... of
    /// <paramref name="fileBytes"/> (rounded down to whole records) in <paramref name="directory"/>,
    /// several files at once, and returns the records' checksum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="records"/> is negative, or a file holds less than one record.</exception>
    /// <exception cref="IOException">A file could not be written (a file of that name exists, or the disk is full).</exception>
    public static RecordChecksum Write(string directory, long records, long fileBytes, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(fileBytes, GensortRecord.Size);
        Directory.CreateDirectory(directory);
        var recordsPerFile = fileBytes / GensortRecord.Size;
        var files = (int)((records + recordsPerFile - 1) / recordsPerFile);
        var checksums = new RecordChecksum[files];
        Parallel.For(0, files, new ParallelOptions { CancellationToken = cancellationToken }, file =>
        {
            var first = file * recordsPerFile;
            var path = Path.Combine(directory, $"part-{file:D5}");
            checksums[file] = WriteFile(path, first, Math.Min(recordsPerFile, records - first), seed, cancellationToken);
        });

        var total = default(RecordChecksum);
        foreach (var checksum in checksums)
        {
            total += checksum;
        }

        return total;
    }

    /// <summary>
    /// The records of <paramref name="path"/> in batches of at most <see cref="BatchRecords"/>.
    /// Each batch is valid until the next is asked for (one buffer is reused).
    /// </summary>
    /// <exception cref="GensortFormatException">The file is not a whole number of records.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static IEnumerable<ReadOnlyMemory<GensortRecord>> Read(string path, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length % GensortRecord.Size != 0)
        {
            throw new GensortFormatException(path, length);
        }

        var buffer = GC.AllocateUninitializedArray<GensortRecord>((int)Math.Min(BatchRecords, length / GensortRecord.Size));
        for (long at = 0; at < length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = (int)Math.Min(buffer.Length, (length - at) / GensortRecord.Size);
            ReadExactly(handle, MemoryMarshal.AsBytes(buffer.AsSpan(0, batch)), at, path);
            at += (long)batch * GensortRecord.Size;
            yield return buffer.AsMemory(0, batch);
        }
    }

    private static RecordChecksum WriteFile(string path, long firstRecord, long records, ulong seed, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<GensortRecord>((int)Math.Min(BatchRecords, records));
        var checksum = default(RecordChecksum);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, records * GensortRecord.Size);
        for (long written = 0; written < records;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = buffer.AsSpan(0, (int)Math.Min(buffer.Length, records - written));
            GensortGenerator.Fill(firstRecord + written, batch, seed);
            checksum += RecordChecksum.Of(batch);
            RandomAccess.Write(handle, MemoryMarshal.AsBytes(batch), written * GensortRecord.Size);
            written += batch.Length;
        }

        return checksum;
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"'{path}' ended at byte {offset} while it was read: another process cut it short.");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
