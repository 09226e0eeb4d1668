namespace Plexus.Hosting.Cluster;

/// <summary>
/// What a driver's runtime closes with once the cluster declared the node it works through dead:
/// the node it brought (fenced when it heard so) or the node it was attached to (which stopped when
/// fenced, closing the driver's link). Either way that node's objects and tasks count as lost
/// cluster-wide and the node is never taken back, so the driver cannot go on.
/// </summary>
internal static class DriversNodeDeclaredDead
{
    /// <summary>The error for node <paramref name="node"/>, with the control service's <paramref name="reason"/>.</summary>
    public static NodeUnavailableException Error(ulong node, string reason) => new(
        $"This driver's node {node:x16} was declared dead by the cluster ({reason}). " +
        "The cluster counts this driver's objects and tasks as lost; start the driver again.");
}
