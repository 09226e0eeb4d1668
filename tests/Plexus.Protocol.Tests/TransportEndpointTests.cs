using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>Endpoints written as strings read back as the same endpoint; anything else is refused, naming the forms.</summary>
public sealed class TransportEndpointTests
{
    [Theory]
    [InlineData("unix:@plexus-node-1", TransportKind.Unix, "plexus-node-1", 0)]
    [InlineData("tcp:127.0.0.1:5000", TransportKind.Tcp, "127.0.0.1", 5000)]
    [InlineData("tcp:[::1]:0", TransportKind.Tcp, "::1", 0)]
    [InlineData("tcp:node-a.example:7000", TransportKind.Tcp, "node-a.example", 7000)]
    [InlineData("mem:host-1", TransportKind.Memory, "host-1", 0)]
    public void AnEndpointReadsBackAsWritten(string text, TransportKind kind, string host, int port)
    {
        var endpoint = TransportEndpoint.Parse(text);
        Assert.Equal((kind, host, port), (endpoint.Kind, endpoint.Host, endpoint.Port));
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
