using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Plexus.Control.Tests;

/// <summary>
/// A real <c>redis-server</c> for one test: a free loopback port, a temp directory, nothing saved
/// to disk (<c>--save ""</c>), killed and its directory deleted on dispose, also when the test fails.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private RedisServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The storage URI of this server, database <paramref name="database"/>.</summary>
    public string Storage(int database = 0) => $"redis://127.0.0.1:{Port}/{database}";

    /// <summary>The path of <c>redis-server</c> on PATH, or null when it is not installed.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        string executable = Executable()
            ?? throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (.ci/run does).");
        var directory = new TempDirectory();
        int port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.Path, "--logfile", LogFile(directory) },
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var server = new RedisServer(process, directory, port);
        try
        {
            await Eventually.TrueAsync(() => process.HasExited || Accepts(port), timeout: StartDeadline);
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {await File.ReadAllTextAsync(LogFile(directory))}");
            }

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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _directory.Dispose();
    }

    private static string LogFile(TempDirectory directory) => Path.Combine(directory.Path, "redis.log");

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port nothing listens on: taken from the system, then freed.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
