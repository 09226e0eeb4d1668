using System.Diagnostics;
using System.Net.Sockets;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Limits;

/// <summary>
/// Round trips per second of one 64-byte frame at a time between this process and a child (this
/// program in <c>echo-server</c> mode) over a Unix domain socket: the most any one-at-a-time
/// request/reply through the runtime's transport can reach on this machine.
/// </summary>
internal static class RoundTripLimit
{
    private const int WarmUpRoundTrips = 5_000;
    private const int Windows = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<double> MeasureAsync()
    {
        var socketName = $"plexus-bench-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + socketName));
        listener.Listen(1);

        using var child = Process.Start(EchoServerStartInfo(socketName))
            ?? throw new InvalidOperationException("The echo server process did not start.");
        try
        {
            using var connect = new CancellationTokenSource(ConnectTimeout);
            using var socket = await listener.AcceptAsync(connect.Token);
            var reader = Frames.Reader(socket);
            var frame = Frames.Create();
            async Task<long> RoundTrips(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    await Frames.SendAsync(socket, frame);
                    if (!await Frames.ReceiveAsync(reader))
                    {
                        throw new InvalidOperationException("The echo server closed the connection.");
                    }
                }

                return count;
            }

            await RoundTrips(WarmUpRoundTrips);
            // A limit is what the machine can do: the best of a few windows, since one window can
            // land on a moment when the scheduler puts both processes on the same busy vCPU.
            var rate = 0.0;
            for (var window = 0; window < Windows; window++)
            {
                rate = Math.Max(rate, await Measure.RateAsync(() => RoundTrips(1_000)));
            }

            socket.Shutdown(SocketShutdown.Both);
            await reader.CompleteAsync();
            using var exit = new CancellationTokenSource(ConnectTimeout);
            await child.WaitForExitAsync(exit.Token);
            return rate;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>This program again: its apphost, or <c>dotnet exec</c> of its assembly.</summary>
    private static ProcessStartInfo EchoServerStartInfo(string socketName)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("This process's executable is unknown.");
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(RoundTripLimit).Assembly.Location);
        }

        start.ArgumentList.Add("echo-server");
        start.ArgumentList.Add(socketName);
        return start;
    }
}
