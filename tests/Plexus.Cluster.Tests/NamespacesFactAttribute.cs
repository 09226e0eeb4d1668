namespace Plexus.Cluster.Tests;

/// <summary>
/// A test of network namespaces themselves: skipped, saying why, when this process is not root
/// (CI and our machines run as root; tests of clusters run on loopback addresses otherwise).
/// </summary>
internal sealed class NamespacesFactAttribute : FactAttribute
{
    public NamespacesFactAttribute()
    {
        if (!Native.IsRoot)
        {
            Skip = "Network namespaces need root.";
        }
    }
}
