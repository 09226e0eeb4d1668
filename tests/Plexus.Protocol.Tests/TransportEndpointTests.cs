using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>Endpoints written as strings read back as the same endpoint; anything else is refused, naming the forms.</summary>
public sealed class TransportEndpointTests
{
    [Theory]
    [InlineData("unix:@plexus-node-1", "Unix", "plexus-node-1", 0)]
    [InlineData("tcp:127.0.0.1:5000", "Tcp", "127.0.0.1", 5000)]
    [InlineData("tcp:[::1]:0", "Tcp", "::1", 0)]
    [InlineData("tcp:node-a.example:7000", "Tcp", "node-a.example", 7000)]
    [InlineData("mem:host-1", "Memory", "host-1", 0)]
    public void AnEndpointReadsBackAsWritten(string text, string kind, string host, int port)
    {
        var endpoint = TransportEndpoint.Parse(text);
        // The kind is named as text: the transport types are internal to the protocol assembly.
        Assert.Equal((Enum.Parse<TransportKind>(kind), host, port), (endpoint.Kind, endpoint.Host, endpoint.Port));
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("unix:/tmp/socket")]
    [InlineData("tcp:host")]
    [InlineData("tcp::80")]
    [InlineData("tcp:host:99999")]
    [InlineData("mem:")]
    [InlineData("http://host")]
    public void AnythingElseIsRefusedNamingTheForms(string text)
    {
        var e = Assert.Throws<FormatException>(() => TransportEndpoint.Parse(text));
        Assert.Contains("unix:@<name>", e.Message, StringComparison.Ordinal);
    }
}
