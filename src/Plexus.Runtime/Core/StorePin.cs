using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>A pin on one version of a stored object, released once when disposed (an <see cref="ObjectView{T}"/>'s).</summary>
internal sealed class StorePin(IStoreAccess store, ObjectValue pinned) : IDisposable
{
    public void Dispose() => store.Unpin(pinned);
}
