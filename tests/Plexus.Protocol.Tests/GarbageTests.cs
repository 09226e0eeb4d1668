using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Protocol.Tests;

/// <summary>Bytes that are not the protocol close the connection that sent them, and only that one.</summary>
public sealed class GarbageTests
{
    [Theory]
    [InlineData("unix")]
    [InlineData("mem")]
    public async Task GarbageInsteadOfAPreambleClosesOnlyThatConnection(string kind)
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh(kind));
        await using var bystander = await FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member);
        await using var intruder = await Transports.For(server.Endpoint).ConnectAsync(server.Endpoint);

        await intruder.Output.WriteAsync(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54, 0x50 });

        Assert.IsType<MalformedFrameException>(await server.NextFailureAsync());
        await AssertClosedByPeerAsync(intruder);
        await AssertStillServedAsync(bystander);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 })]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0x80 })]
    public async Task AnImpossibleFrameLengthClosesOnlyThatConnection(byte[] garbage)
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("unix"));
        await using var bystander = await FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member);
        await using var intruder = await Transports.For(server.Endpoint).ConnectAsync(server.Endpoint);
        await PreambleExchange.ConnectAsync(intruder, TestEndpoints.Member, server.Endpoint.ToString());

        await intruder.Output.WriteAsync(garbage);

        Assert.IsType<MalformedFrameException>(await server.NextFailureAsync());
        await AssertClosedByPeerAsync(intruder);
        await AssertStillServedAsync(bystander);
    }

    [Fact]
    public async Task AConnectionThatEndsInTheMiddleOfAFrameIsMalformed()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("mem"));
        var intruder = await Transports.For(server.Endpoint).ConnectAsync(server.Endpoint);
        await PreambleExchange.ConnectAsync(intruder, TestEndpoints.Member, server.Endpoint.ToString());

        await intruder.Output.WriteAsync(new byte[] { 5, 0, 0, 0, 0xEE });
        await intruder.DisposeAsync();

        Assert.IsType<MalformedFrameException>(await server.NextFailureAsync());
    }

    private static async Task AssertClosedByPeerAsync(ITransportConnection connection)
    {
        while (true)
        {
            var read = await connection.Input.ReadAsync().AsTask().WaitAsync(TestEndpoints.Patience);
            connection.Input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private static async Task AssertStillServedAsync(FrameClient client)
    {
        client.Connection.Send([7, 7]);
        Assert.Equal([7, 7], await client.NextAsync());
    }
}
