namespace Plexus.Data.Blocks;

/// <summary>
/// Where a task's output blocks are made. In a block task each is the task's return, written in
/// place in the store (<see cref="PlexusRuntime.CreateReturnBuffer"/>): no array of the block's
/// size is allocated (each one's pages zeroed by the kernel on first touch) and the worker copies
/// nothing when the task returns. Elsewhere (an actor's call, the driver) blocks are arrays.
/// </summary>
internal abstract class BlockAllocator
{
    public static BlockAllocator Heap { get; } = new HeapBlocks();

    /// <summary>Blocks as the running task's returns, made by <paramref name="runtime"/>.</summary>
    public static BlockAllocator TaskReturns(PlexusRuntime runtime) => new ReturnBlocks(runtime);

    /// <summary>A block of <paramref name="length"/> bytes that the task returns as its return <paramref name="returnIndex"/>.</summary>
    public abstract OutputBlock Allocate(int returnIndex, int length);

    private sealed class HeapBlocks : BlockAllocator
    {
        public override OutputBlock Allocate(int returnIndex, int length) => OutputBlock.OnHeap(length);
    }

    private sealed class ReturnBlocks(PlexusRuntime runtime) : BlockAllocator
    {
        public override OutputBlock Allocate(int returnIndex, int length) => OutputBlock.InPlace(runtime.CreateReturnBuffer(returnIndex, length));
    }
}
