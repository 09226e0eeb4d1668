using Plexus.Protocol.Security;

namespace Plexus.Core.References;

/// <summary>
/// The tags this process holds for refs of other jobs (see docs/ARCHITECTURE.md, Isolation between
/// jobs): learnt when a ref arrives with one, sent with each read of the object, and passed on with
/// the ref when this process hands it to yet another job.
/// </summary>
internal sealed partial class ReferenceTable
{
    /// <summary>Records <paramref name="tag"/> for a borrowed object this process has an entry for.</summary>
    public void NoteCapability(ObjectId id, CapabilityTag tag)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var entry) && !entry.IsOwned)
            {
                entry.Capability = tag;
            }
        }
    }

    /// <summary>The tag this process holds for <paramref name="id"/>, or none.</summary>
    public CapabilityTag CapabilityOf(ObjectId id) => CapabilityOf(id, out _);

    /// <summary>The tag this process holds for <paramref name="id"/>, or none; <paramref name="owned"/>: this process owns it.</summary>
    public CapabilityTag CapabilityOf(ObjectId id, out bool owned)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry))
            {
                owned = false;
                return default;
            }

            owned = entry.IsOwned;
            return entry.Capability;
        }
    }
}
