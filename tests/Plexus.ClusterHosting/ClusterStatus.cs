using System.Text.Json;

namespace Plexus.ClusterHosting;

/// <summary>One node as `plexus status --json` lists it.</summary>
internal sealed record NodeStatus(string NodeId, string Address, string State, JsonElement Json)
{
    public bool IsAlive => State.Equals("alive", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the node offers, by resource name ("CPU", "object_store_memory", custom ones).</summary>
    public IReadOnlyDictionary<string, double> Resources => Amounts("resources");

    /// <summary>What is in use of each resource as of the node's latest heartbeat (object_store_memory: bytes stored).</summary>
    public IReadOnlyDictionary<string, double> Used => Amounts("used");

    /// <summary>The work queued at the node that no node of the cluster can run, one line each.</summary>
    public IReadOnlyList<string> Infeasible =>
        Json.TryGetProperty("infeasible", out var lines) ? lines.EnumerateArray().Select(l => l.GetString()!).ToList() : [];

    private Dictionary<string, double> Amounts(string property) =>
        Json.TryGetProperty(property, out var amounts)
            ? amounts.EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetDouble())
            : [];
}

/// <summary>What `plexus status --json` prints: the nodes parsed, and the whole document for the rest.</summary>
internal sealed record ClusterStatus(string ControlAddress, IReadOnlyList<NodeStatus> Nodes, JsonElement Json)
{
    /// <exception cref="JsonException">The text is not the document `status --json` prints.</exception>
    public static ClusterStatus Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var nodes = root.GetProperty("nodes").EnumerateArray()
            .Select(n => new NodeStatus(n.GetProperty("nodeId").GetString()!, n.GetProperty("address").GetString()!, n.GetProperty("state").GetString()!, n))
            .ToList();
        return new ClusterStatus(root.GetProperty("controlAddress").GetString()!, nodes, root);
    }

    /// <summary>The node with this id, or null when the head does not list it.</summary>
    public NodeStatus? Node(string nodeId) => Nodes.FirstOrDefault(n => n.NodeId.Equals(nodeId, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Json.ToString();
}
