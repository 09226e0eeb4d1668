using System.Globalization;
using System.Net;

namespace Plexus.Cli.Node;

/// <summary>How a head's control service process is started: what <c>plexus start --head</c> was given for it.</summary>
internal sealed record ControlServiceSettings
{
    /// <summary>The default control port of a head node.</summary>
    public const int DefaultPort = 6380;

    /// <summary>The port the service listens on.</summary>
    public required int Port { get; init; }

    /// <summary>The address the service listens on: the head node's.</summary>
    public required IPAddress ListenAddress { get; init; }

    /// <summary>The head's directory: the token file, <c>control.json</c>, <c>logs/control.log</c>.</summary>
    public required string TempDirectory { get; init; }

    /// <summary>Where the service keeps its tables (<c>--storage</c>).</summary>
    public required string Storage { get; init; }

    /// <summary>How long the service waits for a node's heartbeat before it declares the node dead; null for its default.</summary>
    public TimeSpan? NodeTimeout { get; init; }

    /// <summary>The port of the head's dashboard, served beside the service on its address; 0 for none.</summary>
    public int DashboardPort { get; init; }

    /// <summary>How long to wait before starting an exited service again; null to back off from 0.5 s to 5 s.</summary>
    public TimeSpan? RestartDelay { get; init; }

    /// <summary>The control address, <c>host:port</c>: what drivers and joining nodes are given.</summary>
    public string Address => new IPEndPoint(ListenAddress, Port).ToString();

    /// <summary>The <c>plexus control</c> command line that runs the service (the token is read from <paramref name="tokenFile"/>, never passed as an argument).</summary>
    public IReadOnlyList<string> CommandArguments(string tokenFile)
    {
        List<string> arguments =
        [
            "control",
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--node-ip", ListenAddress.ToString(),
            "--storage", Storage,
            "--token-file", tokenFile,
            "--temp-dir", TempDirectory,
            "--dashboard-port", DashboardPort.ToString(CultureInfo.InvariantCulture),
        ];
        if (NodeTimeout is { } timeout)
        {
            arguments.AddRange(["--node-timeout-ms", ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);
        }

        return arguments;
    }
}
