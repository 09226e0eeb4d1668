namespace Plexus;

/// <summary>The accepting side refused this connection in the preamble; nothing was exchanged.</summary>
public abstract class ConnectionRejectedException(string endpoint, string message) : Exception(message)
{
    /// <summary>The endpoint that refused.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>
/// The two sides speak different protocol versions (different Plexus builds): run the same
/// Plexus version on both sides.
/// </summary>
public sealed class ProtocolVersionMismatchException(string endpoint, ushort localVersion, ushort remoteVersion)
    : ConnectionRejectedException(endpoint,
        $"{endpoint} speaks Plexus protocol version {remoteVersion}; this process speaks version {localVersion}. Run the same Plexus version on both sides.")
{
    /// <summary>The version this process speaks.</summary>
    public ushort LocalVersion { get; } = localVersion;

    /// <summary>The version the refusing side speaks.</summary>
    public ushort RemoteVersion { get; } = remoteVersion;
}

/// <summary>The cluster token presented was wrong: use the token of the cluster's address.</summary>
public sealed class InvalidClusterTokenException(string endpoint)
    : ConnectionRejectedException(endpoint,
        $"{endpoint} refused the connection: the cluster token is wrong. Use the token in the cluster's address (the part after '#').");

/// <summary>The refusing side belongs to another cluster than the one this side means to join.</summary>
public sealed class ClusterMismatchException(string endpoint, ulong expectedCluster, ulong actualCluster)
    : ConnectionRejectedException(endpoint,
        $"{endpoint} belongs to cluster {actualCluster:x16}, not {expectedCluster:x16}. Check the address: it names a node of another cluster.");
