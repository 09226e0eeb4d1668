using Plexus.Hosting;
using Plexus.Node;

namespace Plexus.Benchmarks;

/// <summary>The embedded node behind a <see cref="PlexusRuntime"/>, whose store figures the benchmarks read.</summary>
internal static class RuntimeInternals
{
    public static NodeDaemon EmbeddedNode(this PlexusRuntime plexus) =>
        (plexus.Cluster as EmbeddedCluster)?.Node ?? throw new InvalidOperationException("The runtime runs no embedded cluster.");
}
