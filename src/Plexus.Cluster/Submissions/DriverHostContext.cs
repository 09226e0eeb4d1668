namespace Plexus.Cluster.Submissions;

/// <summary>What a node gives every submitted driver it runs: the cluster to join, and where its output is logged.</summary>
/// <param name="NodeId">This node's id, as the control service knows it.</param>
/// <param name="ControlAddress">The head's control address (<c>host:port</c>), the driver's PLEXUS_ADDRESS.</param>
/// <param name="Token">The cluster token, the driver's PLEXUS_TOKEN.</param>
/// <param name="LogDirectory">Where each driver's output is written, <c>&lt;node log dir&gt;/jobs</c>.</param>
internal sealed record DriverHostContext(byte[] NodeId, string ControlAddress, string Token, string LogDirectory)
{
    /// <summary>The environment variable a driver reads the cluster token from.</summary>
    public const string TokenVariable = "PLEXUS_TOKEN";

    public string NodeHex => Convert.ToHexStringLower(NodeId);
}
