using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Plexus.ClusterHosting;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// The most a transfer between two nodes could reach: one bare TCP stream of the same bytes
/// between the same two addresses (the nodes' hosts), sent in 1 MiB writes by a source on one
/// host to a sink on the other, each its own process as the nodes are. GB/s from the source's
/// connect to the sink's acknowledgement that it read every byte.
/// </summary>
internal static class TcpStreamLimit
{
    private const int WriteBytes = 1 << 20;
    private static readonly TimeSpan ConnectPatience = TimeSpan.FromSeconds(60);

    /// <summary>Measures the stream from <paramref name="from"/> to <paramref name="to"/> (its sink on <paramref name="port"/>): GB/s.</summary>
    public static async Task<double> MeasureAsync(NodeHost from, NodeHost to, int port, long bytes, string logDirectory)
    {
        var address = to.Address.ToString();
        await using var sink = ClusterProcess.Start("tcp sink", to, SelfCommand.With("tcp-sink", address, Invariant(port)), Path.Combine(logDirectory, "tcp-sink.log"));
        var source = await HostCommand.RunAsync(from.Wrap(SelfCommand.With("tcp-source", address, Invariant(port), Invariant(bytes))), TimeSpan.FromMinutes(2));
        if (source.ExitCode != 0 || !double.TryParse(source.StandardOutput.Trim(), CultureInfo.InvariantCulture, out var seconds))
        {
            throw new InvalidOperationException($"The TCP stream from {from} to {to} failed: {source}\nThe sink's output:\n{sink.ReadLog()}");
        }

        return bytes / seconds / 1e9;
    }

    /// <summary>Accepts one stream on <paramref name="address"/>:<paramref name="port"/>, reads it to its end and answers the byte count.</summary>
    public static async Task SinkAsync(string address, int port)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), port);
        listener.Start();
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[WriteBytes];
        long received = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            received += read;
        }

        var answer = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(answer, received);
        await stream.WriteAsync(answer);
    }

    /// <summary>Sends <paramref name="bytes"/> to the sink (waiting for it to listen), and prints the seconds until it acknowledged them all.</summary>
    public static async Task SourceAsync(string address, int port, long bytes)
    {
        using var client = await ConnectAsync(IPAddress.Parse(address), port);
        var stream = client.GetStream();
        var buffer = new byte[WriteBytes];
        Random.Shared.NextBytes(buffer);
        var clock = Stopwatch.StartNew();
        for (long sent = 0; sent < bytes; sent += WriteBytes)
        {
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(WriteBytes, bytes - sent)));
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var answer = new byte[sizeof(long)];
        await stream.ReadExactlyAsync(answer);
        var seconds = clock.Elapsed.TotalSeconds;
        var acknowledged = BinaryPrimitives.ReadInt64LittleEndian(answer);
        if (acknowledged != bytes)
        {
            throw new InvalidOperationException($"The sink read {acknowledged} bytes of the {bytes} sent.");
        }

        Console.WriteLine(seconds.ToString("R", CultureInfo.InvariantCulture));
    }

    // The sink is started just before: connections are refused until it listens.
    private static async Task<TcpClient> ConnectAsync(IPAddress address, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var client = new TcpClient(address.AddressFamily);
            try
            {
                await client.ConnectAsync(address, port);
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && deadline.Elapsed < ConnectPatience)
            {
                client.Dispose();
                await Task.Delay(50);
            }
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
