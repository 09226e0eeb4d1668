namespace Plexus.Data.Sinks;

/// <summary>What a block writer wrote: rows, and bytes of the file's format.</summary>
internal readonly record struct BlockWriteResult(long Rows, long Bytes);
