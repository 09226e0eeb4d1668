using Plexus.Protocol.Security;

namespace Plexus.Core.References;

/// <summary>
/// The tags this process holds for refs of other jobs (see docs/ARCHITECTURE.md, Isolation between
/// jobs): learnt when a ref arrives with a valid one, sent with each read of the object, and passed
/// on with a handed-over ref when this process hands it to yet another job.
/// </summary>
internal sealed partial class ReferenceTable
{
    /// <summary>Records <paramref name="tag"/>, checked valid, for a borrowed object this process has an entry for.</summary>
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
    public CapabilityTag CapabilityOf(ObjectId id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var entry) ? entry.Capability : default;
        }
    }
}
