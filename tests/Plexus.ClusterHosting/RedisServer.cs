using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Plexus.ClusterHosting;

/// <summary>
/// A real <c>redis-server</c>, saving nothing to disk: on a host of a test cluster (in its
/// namespace, bound to its address) for a head whose control service keeps its tables there, or on
/// a loopback port of this machine for one test. Disposing it kills it, also when the test fails.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan LoopbackStartTimeout = TimeSpan.FromSeconds(30);

    private readonly ClusterProcess _process;
    // The directory the server was given when it made its own (on loopback), deleted with it.
    private readonly TempDirectory? _ownDirectory;

    private RedisServer(ClusterProcess process, IPAddress address, int port, TempDirectory? ownDirectory)
    {
        _process = process;
        Address = address;
        Port = port;
        _ownDirectory = ownDirectory;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary>The server's database <paramref name="database"/> as <c>plexus start --storage</c> takes it.</summary>
    public string Storage(int database = 0) => $"redis://{new IPEndPoint(Address, Port)}/{database}";

    /// <summary>The process, for the cluster to kill and report with its own.</summary>
    public ClusterProcess Process => _process;

    /// <summary>The path of <c>redis-server</c> on PATH, or null when it is not installed.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Why a test of <paramref name="what"/> that needs a server is skipped, or null: only on a
    /// developer's machine without one. Under <c>CI=true</c> it runs, so a CI machine that lacks the
    /// server fails the test instead of passing it silently (<c>.ci/run</c> installs it).
    /// </summary>
    public static string? SkipReason(string what) =>
        Executable() is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal)
            ? $"redis-server is not installed (apt-get install redis-server); under CI=true this {what} fails instead."
            : null;

    /// <summary>Starts a server on a free loopback port of this machine, in a temp directory of its own.</summary>
    /// <exception cref="ClusterStartException">redis-server is not installed, exited, or did not accept connections in time.</exception>
    public static Task<RedisServer> StartOnLoopbackAsync() =>
        StartAsync(new NodeHost(IPAddress.Loopback, Namespace: null), FreeLoopbackPort(), new TempDirectory(), LoopbackStartTimeout);

    /// <summary>A loopback port nothing listens on: taken from the system, then freed.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a server on <paramref name="host"/> at <paramref name="port"/> and returns once it accepts connections.</summary>
    /// <exception cref="ClusterStartException">redis-server is not installed, exited, or did not accept connections in time; the message says which.</exception>
    public static Task<RedisServer> StartAsync(NodeHost host, int port, string directory, TimeSpan timeout) => StartAsync(host, port, directory, ownDirectory: null, timeout);

    private static Task<RedisServer> StartAsync(NodeHost host, int port, TempDirectory ownDirectory, TimeSpan timeout) =>
        StartAsync(host, port, ownDirectory.Path, ownDirectory, timeout);

    private static async Task<RedisServer> StartAsync(NodeHost host, int port, string directory, TempDirectory? ownDirectory, TimeSpan timeout)
    {
        string executable = Executable()
            ?? throw new ClusterStartException("redis-server is not installed: apt-get install -y redis-server (.ci/run does).");
        Directory.CreateDirectory(directory);
        var command = new CommandLine(
            executable,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", host.Address.ToString(), "--protected-mode", "no",
            "--save", "", "--appendonly", "no", "--dir", directory);
        var server = new RedisServer(ClusterProcess.Start("redis", host, command, Path.Combine(directory, "redis.log")), host.Address, port, ownDirectory);
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

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _ownDirectory?.Dispose();
    }

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
