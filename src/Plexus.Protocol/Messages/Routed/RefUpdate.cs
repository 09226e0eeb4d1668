using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// Reference-count changes one process (the header's source) sends an object owner (its target):
/// borrowers it registers (processes it handed refs to) and its own releases.
/// </summary>
[MemoryPackable]
internal sealed partial class RefUpdate : Message, IRouted
{
    public BorrowerGrant[]? Added { get; init; }
    public ReleasedRef[]? Released { get; init; }
}

/// <summary><see cref="Borrower"/> now holds a ref to <see cref="Id"/>: one more registration for it.</summary>
[MemoryPackable]
internal readonly partial record struct BorrowerGrant(ObjectId Id, ProcessAddress Borrower);

/// <summary>The sender dropped its last handle to <see cref="Id"/>, ending <see cref="Count"/> registrations.</summary>
[MemoryPackable]
internal readonly partial record struct ReleasedRef(ObjectId Id, int Count);
