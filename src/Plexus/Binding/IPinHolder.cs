namespace Plexus.Binding;

/// <summary>What took a pin on a stored object's bytes, and releases it: what an <see cref="ObjectView{T}"/> holds.</summary>
internal interface IPinHolder
{
    /// <summary>Releases the pin on the version <paramref name="pinned"/> names (opaque to the API).</summary>
    void Unpin(object pinned);
}
