using System.Buffers.Binary;

namespace Plexus.Data.Blocks;

/// <summary>
/// The 64 bytes that open every block: what the rows are, how many, and how they are laid out.
/// Payloads start 64 bytes in, so raw rows keep the store's 64-byte alignment.
/// </summary>
internal readonly record struct BlockHeader(BlockEncoding Encoding, int RecordSize, long Rows, long PayloadBytes, ulong SchemaHash)
{
    public const int Size = 64;
    private const uint Magic = 0x31425850; // "PXB1"
    private const ushort Version = 1;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        destination[6] = (byte)Encoding;
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], RecordSize);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Rows);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], PayloadBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], SchemaHash);
    }

    /// <summary>The rows a block holds, whatever their type.</summary>
    public static long RowsOf(ReadOnlySpan<byte> block) =>
        block.Length >= Size && BinaryPrimitives.ReadUInt32LittleEndian(block) == Magic
            ? BinaryPrimitives.ReadInt64LittleEndian(block[16..])
            : throw new InvalidDataException("A Plexus.Data block was expected.");

    /// <summary>Reads a header, checking it is one and that it holds <paramref name="expectedSchema"/> rows.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a block, or a block of other rows.</exception>
    public static BlockHeader Read(ReadOnlySpan<byte> block, ulong expectedSchema, string rowTypeName)
    {
        if (block.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(block) != Magic)
        {
            throw new InvalidDataException($"A Plexus.Data block was expected, but {block.Length} bytes without its header were found.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(block[4..]);
        if (version != Version)
        {
            throw new InvalidDataException($"The block has format version {version}; this build reads version {Version}.");
        }

        var header = new BlockHeader(
            (BlockEncoding)block[6],
            BinaryPrimitives.ReadInt32LittleEndian(block[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(block[32..]));
        if (header.SchemaHash != expectedSchema)
        {
            throw new InvalidDataException($"The block holds rows of another type than {rowTypeName}.");
        }

        if (Size + header.PayloadBytes > block.Length)
        {
            throw new InvalidDataException($"The block says it holds {header.PayloadBytes} bytes of rows, but only {block.Length - Size} follow its header.");
        }

        return header;
    }
}
