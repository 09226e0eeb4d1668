namespace Plexus.Protocol.Tests;

/// <summary>Frames cross every transport whole and in order, whatever their size.</summary>
public sealed class FrameRoundTripTests
{
    [Theory]
    [MemberData(nameof(TestEndpoints.Kinds), MemberType = typeof(TestEndpoints))]
    public async Task FramesOfEverySizeComeBackWholeAndInOrder(string kind)
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh(kind));
        await using var client = await FrameClient.ConnectAsync(server.Endpoint, TestEndpoints.Member);
        byte[][] frames = [Filled(1, 1), Filled(100, 2), Filled(70_000, 3), Filled(3 << 20, 4), Filled(5, 5)];

        client.Connection.Send(frames[0]);
        await client.Connection.SendAsync(frames[1]);
        client.Connection.Send(frames[2]);
        await client.Connection.SendAsync(frames[3]);
        client.Connection.SendLazily(frames[4], TimeSpan.FromMilliseconds(1));

        foreach (var frame in frames)
        {
            Assert.Equal(frame, await client.NextAsync());
        }
    }

    [Fact]
    public async Task ATcpListenerOnPortZeroReportsThePortItGot()
    {
        await using var server = await EchoServer.StartAsync(TestEndpoints.Fresh("tcp4"));
        Assert.NotEqual(0, server.Endpoint.Port);
        Assert.Equal(server.Endpoint, Transport.TransportEndpoint.Parse(server.Endpoint.ToString()));
    }

    private static byte[] Filled(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }

        return bytes;
    }
}
