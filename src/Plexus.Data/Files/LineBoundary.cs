using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Plexus.Data.Files;

/// <summary>
/// Finds line boundaries in a file by byte offset, for splits that cut text files anywhere: the
/// lines that start in <c>[start, end)</c> are exactly the bytes
/// <c>[NextLineStart(start), NextLineStart(end))</c>.
/// </summary>
internal static class LineBoundary
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// The offset of the first line that starts at or after <paramref name="offset"/>: 0 for 0, else
    /// just after the first '\n' at or after <c>offset − 1</c>, or the file's length when there is none.
    /// </summary>
    public static long NextLineStart(SafeFileHandle file, long offset, long length)
    {
        if (offset <= 0)
        {
            return 0;
        }

        if (offset >= length)
        {
            return length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var position = offset - 1; position < length;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - position)), position);
                if (read == 0)
                {
                    break;
                }

                var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return position + newline + 1;
                }

                position += read;
            }

            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The number of '\n' in the first <paramref name="end"/> bytes: the 0-based line that starts at <paramref name="end"/>, when one does.</summary>
    public static long CountNewlines(SafeFileHandle file, long end)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long newlines = 0;
            for (long position = 0; position < end;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, end - position)), position);
                if (read == 0)
                {
                    break;
                }

                newlines += buffer.AsSpan(0, read).Count((byte)'\n');
                position += read;
            }

            return newlines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
