using System.Globalization;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>The API's scheduling strategies as the protocol carries them.</summary>
internal static class Placements
{
    /// <summary>
    /// The placement of <paramref name="strategy"/>. Throws <see cref="ArgumentException"/> for a
    /// node affinity whose id is not 16 hex digits (as <c>PlexusRuntime.NodeId</c> gives them).
    /// </summary>
    public static Placement Of(SchedulingStrategy? strategy) => strategy switch
    {
        null or SchedulingStrategy.DefaultStrategy => default,
        SchedulingStrategy.SpreadStrategy => new Placement(PlacementKind.Spread, 0),
        SchedulingStrategy.NodeAffinityStrategy affinity => new Placement(PlacementKind.NodeAffinity, ParseNode(affinity.NodeId)) { Soft = affinity.Soft },
        _ => throw new ArgumentException($"Unknown scheduling strategy {strategy}.", nameof(strategy)),
    };

    private static ulong ParseNode(string nodeId) =>
        ulong.TryParse(nodeId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var node) && node != 0
            ? node
            : throw new ArgumentException($"'{nodeId}' is not a node id (16 hex digits, as PlexusRuntime.NodeId and `plexus status` show).", nameof(nodeId));
}
