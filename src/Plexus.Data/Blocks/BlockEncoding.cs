namespace Plexus.Data.Blocks;

/// <summary>How a block's rows are laid out after its header.</summary>
internal enum BlockEncoding : byte
{
    /// <summary>Rows of an unmanaged type, back to back: read in place as a span, no copy.</summary>
    Raw = 1,

    /// <summary>Rows of any other type, as one MessagePack array.</summary>
    Packed = 2,
}
