using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Plexus.ClusterHosting;

/// <summary>
/// A real <c>redis-server</c> on a host of a test cluster (in its namespace, bound to its address),
/// saving nothing to disk, for a head whose control service keeps its tables there. Disposing it
/// kills it, also when the test fails.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ClusterProcess _process;

    private RedisServer(ClusterProcess process, IPAddress address, int port)
    {
        _process = process;
        Address = address;
        Port = port;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary>The server as <c>plexus start --storage</c> takes it.</summary>
    public string Storage => $"redis://{new IPEndPoint(Address, Port)}";

    /// <summary>The process, for the cluster to kill and report with its own.</summary>
    public ClusterProcess Process => _process;

    /// <summary>The path of <c>redis-server</c> on PATH, or null when it is not installed.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts a server on <paramref name="host"/> at <paramref name="port"/> and returns once it accepts connections.</summary>
    /// <exception cref="ClusterStartException">redis-server is not installed, exited, or did not accept connections in time; the message says which.</exception>
    public static async Task<RedisServer> StartAsync(NodeHost host, int port, string directory, TimeSpan timeout)
    {
        string executable = Executable()
            ?? throw new ClusterStartException("redis-server is not installed: apt-get install -y redis-server (.ci/run does).");
        Directory.CreateDirectory(directory);
        var command = new CommandLine(
            executable,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", host.Address.ToString(), "--protected-mode", "no",
            "--save", "", "--appendonly", "no", "--dir", directory);
        var server = new RedisServer(ClusterProcess.Start("redis", host, command, Path.Combine(directory, "redis.log")), host.Address, port);
        try
        {
            await Eventually.TrueAsync(
                () => server._process.HasExited
                    ? throw new ClusterStartException($"redis-server exited with code {server._process.ExitCode}: {server._process.ReadLog()}")
                    : Accepts(host.Address, port),
                $"redis-server accepts connections on {host.Address}:{port}",
                timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static bool Accepts(IPAddress address, int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
