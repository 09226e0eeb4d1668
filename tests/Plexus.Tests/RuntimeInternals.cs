using Plexus.Control;
using Plexus.Core;
using Plexus.Hosting;
using Plexus.Node;

namespace Plexus.Tests;

/// <summary>What tests inspect behind a <see cref="PlexusRuntime"/>: its runtime and its embedded node.</summary>
internal static class RuntimeInternals
{
    public static NodeDaemon EmbeddedNode(this PlexusRuntime plexus) =>
        EmbeddedCluster.Of(plexus)?.Node ?? throw new InvalidOperationException("The runtime runs no embedded cluster.");

    public static IControlClient EmbeddedControl(this PlexusRuntime plexus) =>
        EmbeddedCluster.Of(plexus)?.Control.Client ?? throw new InvalidOperationException("The runtime runs no embedded cluster.");

    public static CoreRuntime CoreRuntime(this PlexusRuntime plexus) => (CoreRuntime)plexus.Core;
}
