namespace Plexus.Control.State;

/// <summary>
/// The task table's slots, by number, in chunks of <see cref="ChunkLength"/>: a table growing to its
/// bound (100,000 finished tasks and more by default) adds a chunk at a time, never copying the slots
/// it has, and every chunk stays under the runtime's large-object threshold (85,000 bytes).
/// </summary>
/// <remarks>
/// One array doubled as it filled made each growth a large-object allocation (about 40 MB allocated and
/// copied on the way to 100,000 tasks, and a full collection for each few), paid by whatever else
/// the process runs: in the embedded cluster, the driver.
/// </remarks>
internal sealed class TaskSlots
{
    /// <summary>Slots per chunk: 256 of about 170 bytes, 43 KB.</summary>
    public const int ChunkLength = 256;

    private const int ChunkShift = 8;
    private TaskSlot[][] _chunks = [new TaskSlot[ChunkLength]];

    /// <summary>Slots handed out so far: every slot number below it is valid.</summary>
    public int Count { get; private set; }

    /// <summary>The slot numbered <paramref name="slot"/>, to read or write in place.</summary>
    public ref TaskSlot this[int slot] => ref _chunks[slot >> ChunkShift][slot & (ChunkLength - 1)];

    /// <summary>A slot never handed out before, cleared: its number.</summary>
    public int Add()
    {
        var chunk = Count >> ChunkShift;
        if (chunk == _chunks.Length)
        {
            // Only the array of chunk references grows: 8 bytes per 256 slots.
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _chunks[chunk] ??= new TaskSlot[ChunkLength];
        return Count++;
    }
}
