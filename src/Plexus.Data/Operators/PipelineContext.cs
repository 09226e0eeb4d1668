namespace Plexus.Data.Operators;

/// <summary>What one task's pipeline shares: its cancellation, and whether a limit has been reached upstream sources should heed.</summary>
internal sealed class PipelineContext(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Set once a limit downstream needs no more rows; sources stop reading at the next batch.</summary>
    public bool Stopped { get; set; }

    /// <summary>The index of the task's block in its stage: what seeds per-block random draws, so a re-run draws the same.</summary>
    public int Block { get; init; }

    /// <summary>In an actor stage, the batch mapper the actor built; null in tasks.</summary>
    public object? Mapper { get; init; }

    /// <summary>Where output blocks are made: the task's returns, in place, in a block task; heap arrays otherwise.</summary>
    public Blocks.BlockAllocator Blocks { get; init; } = Plexus.Data.Blocks.BlockAllocator.Heap;
}
