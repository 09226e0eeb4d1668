using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>A fresh endpoint of each transport kind, and preambles to present at them.</summary>
internal static class TestEndpoints
{
    public const string Token = "the-cluster-token";
    public const ulong Cluster = 0xC1;

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Kinds => ["unix", "tcp4", "tcp6", "mem"];

    public static TransportEndpoint Fresh(string kind) => kind switch
    {
        "unix" => TransportEndpoint.Unix("plexus-test-" + Guid.NewGuid().ToString("N")),
        "tcp4" => TransportEndpoint.Tcp("127.0.0.1", 0),
        "tcp6" => TransportEndpoint.Tcp("::1", 0),
        "mem" => TransportEndpoint.Memory("plexus-test-" + Guid.NewGuid().ToString("N")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown transport kind"),
    };

    public static ConnectionPreamble Acceptor => new(Cluster, NodeId: 1, ProcessIncarnation.Current, Token);

    public static ConnectionPreamble Member => new(Cluster, NodeId: 2, Incarnation: 7, Token);
}
