using System.Runtime.InteropServices;

namespace Plexus.Protocol.Security;

/// <summary>
/// Proof that an id was handed over by its own job: 128 bits of a keyed hash of the id
/// (<see cref="CapabilityKey"/>). A ref or actor handle that crosses to another job carries one;
/// the requester's node admits a request of another job's id only with a valid tag. The default
/// value (all zero) is "no tag".
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct CapabilityTag(ulong High, ulong Low)
{
    /// <summary>True when this is a tag, not the absence of one.</summary>
    public bool IsPresent => (High | Low) != 0;
}
