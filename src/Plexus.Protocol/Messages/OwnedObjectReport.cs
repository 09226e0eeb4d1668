using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>What an owner knows of one object it owns, for a memory report.</summary>
[MemoryPackable]
internal sealed partial record OwnedObjectReport
{
    public required ObjectId Id { get; init; }
    public required ProcessAddress Owner { get; init; }
    /// <summary>Encoded bytes; 0 while pending.</summary>
    public required long Size { get; init; }
    public required ValueLocation? Location { get; init; }
    /// <summary>Live <c>ObjectRef</c> handles in the owner's process.</summary>
    public required int LocalHandles { get; init; }
    /// <summary>Submitted tasks, not yet finished, that take the object as an argument.</summary>
    public required int PendingTasks { get; init; }
    /// <summary>Other objects whose values contain a ref to this one.</summary>
    public required int ContainedIn { get; init; }
    /// <summary>Processes that hold a ref to it, with how many registrations each.</summary>
    public required BorrowerCount[] Borrowers { get; init; }
    /// <summary>Where the object was created, when call sites are recorded.</summary>
    public string? CallSite { get; init; }
}

/// <summary>A borrower of an object and how many registrations the owner holds for it.</summary>
[MemoryPackable]
internal readonly partial record struct BorrowerCount(ProcessAddress Process, int Count);
