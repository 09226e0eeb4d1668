using System.Net.Sockets;

namespace Plexus.Benchmarks.Limits;

/// <summary>
/// The peer process of the round-trip limit (hidden <c>echo-server SOCKETNAME</c> mode): connects
/// to the abstract Unix socket, sends every frame back, and exits when the other end closes.
/// </summary>
internal static class EchoServer
{
    public static async Task RunAsync(string socketName)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint("\0" + socketName));
        var reader = Frames.Reader(socket);
        var frame = Frames.Create();
        try
        {
            while (await Frames.ReceiveAsync(reader))
            {
                await Frames.SendAsync(socket, frame);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The benchmark went away: nothing to echo to.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
