using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>What one entry of a reference table stands for, as a summary counts it.</summary>
internal enum HeldKind : byte
{
    /// <summary>Owned, its value made and small enough to live in the owner's memory.</summary>
    Inline = 1,
    /// <summary>Owned, its value in a node's store (which lists it too).</summary>
    Stored = 2,
    /// <summary>Owned, not made yet (its task has not finished).</summary>
    Pending = 3,
    /// <summary>Owned by another process; the size is that of the value fetched, 0 if none was.</summary>
    Borrowed = 4,
    /// <summary>Owned, its task failed: the value is the error.</summary>
    Failed = 5,
}

/// <summary>How many entries of one kind a table holds, and their bytes.</summary>
[MemoryPackable]
internal readonly partial record struct HeldTotals(HeldKind Kind, long Objects, long Bytes);

/// <summary>
/// One job's entries in a table: those not in a store (what a listing counts), and of them the
/// owned inline values and their bytes (what the memory report adds to the stores').
/// </summary>
[MemoryPackable]
internal readonly partial record struct HeldJobTotals(JobId Job, long Objects, long InlineObjects, long InlineBytes);

/// <summary>One entry of a reference table, as a summary lists it.</summary>
[MemoryPackable]
internal sealed partial record HeldReference
{
    public required ObjectId Id { get; init; }
    public required HeldKind Kind { get; init; }
    /// <summary>Encoded bytes; 0 while pending, or borrowed and not fetched.</summary>
    public required long Size { get; init; }
    /// <summary>Live <c>ObjectRef</c> handles in the process.</summary>
    public required int Handles { get; init; }
    /// <summary>Tasks the process submitted, not finished, that take the object as an argument.</summary>
    public required int PendingTasks { get; init; }
    /// <summary>Values the process holds that contain a ref to the object.</summary>
    public required int ContainedIn { get; init; }
    /// <summary>Owned: processes registered as borrowers of it.</summary>
    public required int Borrowers { get; init; }
}

/// <summary>
/// A bounded summary of one runtime's reference table: exact counts and bytes by kind and by job, and its largest entries (largest first). See docs/ARCHITECTURE.md,
/// "Objects and memory".
/// </summary>
[MemoryPackable]
internal sealed partial record ReferenceSummary
{
    /// <summary>The most jobs a summary names: a table holds the objects of the jobs it serves, a handful.</summary>
    public const int MaxJobs = 1024;

    /// <summary>One entry per kind the table holds.</summary>
    public required HeldTotals[] Kinds { get; init; }
    public required HeldJobTotals[] Jobs { get; init; }
    public required HeldReference[] Largest { get; init; }

    /// <summary>Throws <see cref="ProtocolViolationException"/> when a part is missing, out of range, or over its bound.</summary>
    public void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Kinds, "ReferenceSummary.Kinds");
        ProtocolViolationException.ThrowIfNull(Jobs, "ReferenceSummary.Jobs");
        ProtocolViolationException.ThrowIfNull(Largest, "ReferenceSummary.Largest");
        if (Kinds.Length > Enum.GetValues<HeldKind>().Length || Jobs.Length > MaxJobs || Largest.Length > SummarizeReferences.MaxLargest)
        {
            throw new ProtocolViolationException(
                $"ReferenceSummary has {Kinds.Length} kinds, {Jobs.Length} jobs and {Largest.Length} entries; at most {Enum.GetValues<HeldKind>().Length}, {MaxJobs} and {SummarizeReferences.MaxLargest}");
        }

        foreach (var totals in Kinds)
        {
            Check(totals.Kind, totals.Objects, totals.Bytes);
        }

        foreach (var job in Jobs)
        {
            Check(HeldKind.Inline, job.Objects, job.InlineBytes);
            Check(HeldKind.Inline, job.InlineObjects, job.InlineBytes);
        }

        foreach (var entry in Largest)
        {
            ProtocolViolationException.ThrowIfNull(entry, "ReferenceSummary.Largest[]");
            Check(entry.Kind, 1, entry.Size);
        }
    }

    private static void Check(HeldKind kind, long objects, long bytes)
    {
        if (!Enum.IsDefined(kind) || objects < 0 || bytes < 0)
        {
            throw new ProtocolViolationException($"ReferenceSummary holds a kind {(byte)kind} with {objects} objects of {bytes} bytes: not a kind, or a negative count");
        }
    }
}
