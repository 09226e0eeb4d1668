namespace Plexus;

/// <summary>
/// A live node of the cluster, as <see cref="PlexusRuntime.GetNodesAsync"/> lists it: where work can
/// be bound (<see cref="SchedulingStrategy.NodeAffinity"/>) and what it offers.
/// </summary>
/// <param name="NodeId">The node's id (16 hex digits), as <c>plexus status</c> and <see cref="PlexusRuntime.NodeId"/> give it.</param>
/// <param name="IsLocal">Whether it is the node this driver runs on (or is attached to).</param>
/// <param name="Resources">
/// What it offers, by resource name as <c>plexus status</c> lists them: <c>"CPU"</c>, <c>"GPU"</c>,
/// custom resources, and <c>"object_store_memory"</c> (bytes of its object store).
/// </param>
public sealed record ClusterNodeInfo(string NodeId, bool IsLocal, IReadOnlyDictionary<string, double> Resources);
