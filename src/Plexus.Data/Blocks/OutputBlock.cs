namespace Plexus.Data.Blocks;

/// <summary>
/// A block a task is writing: a heap array, or a <see cref="ReturnBuffer"/> that is the task's
/// return itself, written in place in the store.
/// </summary>
internal readonly struct OutputBlock
{
    private readonly byte[]? array;
    private readonly ReturnBuffer? buffer;

    private OutputBlock(byte[]? array, ReturnBuffer? buffer)
    {
        this.array = array;
        this.buffer = buffer;
    }

    public static OutputBlock OnHeap(int length) => new(GC.AllocateUninitializedArray<byte>(length), null);

    public static OutputBlock InPlace(ReturnBuffer buffer) => new(null, buffer);

    /// <summary>The block's bytes, header first.</summary>
    public Memory<byte> Memory => buffer?.Memory ?? array;

    public int Length => Memory.Length;

    /// <summary>
    /// What the task returns for this block: its array, or null for a return buffer, which the
    /// runtime then seals as that return.
    /// </summary>
    public byte[]? Returned => array;
}
