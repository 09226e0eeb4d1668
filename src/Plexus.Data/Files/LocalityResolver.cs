namespace Plexus.Data.Files;

/// <summary>Decides what <see cref="Locality.Auto"/> means for a source path on a cluster.</summary>
internal static class LocalityResolver
{
    /// <summary>
    /// <see cref="Locality.Shared"/> or <see cref="Locality.NodeLocal"/>: what was asked, or for
    /// <see cref="Locality.Auto"/>, Shared on one node or on network storage, else NodeLocal.
    /// </summary>
    /// <param name="requested">The source's setting.</param>
    /// <param name="path">The source path (a glob's directory part is what counts).</param>
    /// <param name="nodeCount">The nodes of the cluster.</param>
    /// <param name="mounts">The driver's mounts (<see cref="MountTable.Current"/>).</param>
    public static Locality Resolve(Locality requested, string path, int nodeCount, MountTable mounts)
    {
        if (requested != Locality.Auto)
        {
            return requested;
        }

        var fullPath = Path.GetFullPath(path);
        if (GlobPattern.IsGlob(fullPath))
        {
            fullPath = GlobPattern.Parse(fullPath).Root;
        }

        return nodeCount <= 1 || mounts.IsNetworkStorage(fullPath) ? Locality.Shared : Locality.NodeLocal;
    }
}
