using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>A finished block task: its output blocks (the consumer frees them), its meta, and how many of its rows a limit lets through.</summary>
internal sealed record CompletedBlock(int Index, ObjectRef<byte[]>[] Blocks, BlockMeta Meta, long RowsToTake);
