using System.Net;
using System.Net.Sockets;

namespace Plexus.Cluster.Tests;

/// <summary>
/// `plexus start` (in the background, as a user runs it) given what cannot work: it says what is
/// wrong, exits with the documented code, and leaves no node process behind.
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class StartFailureTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task HeadWhosePortIsTakenFailsSayingSoAndLeavesNoDaemon()
    {
        using var temp = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var outcome = await StartAsync(temp.Path, "--head", "--port", port);

        Assert.True(outcome.ExitCode == 1, $"exit code 1 expected: {outcome}");
        Assert.Contains("in use", outcome.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"127.0.0.1:{port}", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(NodeProcessesOf(temp.Path));
    }

    [Fact]
    public async Task NodeWhoseMetricsPortIsTakenFailsSayingSoAndLeavesNoDaemon()
    {
        using var temp = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var outcome = await StartAsync(temp.Path, "--head", "--port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--dashboard-port", "0", "--metrics-port", port);

        Assert.True(outcome.ExitCode == 1, $"exit code 1 expected: {outcome}");
        Assert.Contains($"metrics port 127.0.0.1:{port}", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("--metrics-port", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(NodeProcessesOf(temp.Path));
    }

    [Fact]
    public async Task HeadWhoseDashboardPortIsTakenFailsSayingSoAndLeavesNoDaemon()
    {
        using var temp = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var outcome = await StartAsync(temp.Path, "--head", "--port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--dashboard-port", port);

        Assert.True(outcome.ExitCode == 1, $"exit code 1 expected: {outcome}");
        Assert.Contains($"dashboard cannot listen on 127.0.0.1:{port}", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("--dashboard-port", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(NodeProcessesOf(temp.Path));
    }

    [Fact]
    public async Task NodeWhoseHeadCannotBeReachedFailsSayingSoAndLeavesNoDaemon()
    {
        using var temp = new TempDirectory();
        var tokenFile = temp.File("token");
        await File.WriteAllTextAsync(tokenFile, "a-token-no-head-knows");
        var unreachable = $"127.0.0.1:{ClosedPort()}";

        var outcome = await StartAsync(temp.Path, "--address", unreachable, "--token-file", tokenFile);

        Assert.True(outcome.ExitCode != 0, $"a failure expected: {outcome}");
        Assert.Contains(unreachable, outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(NodeProcessesOf(temp.Path));
    }

    [Fact]
    public async Task ResourcesThatAreNotJsonAreAUsageError()
    {
        using var temp = new TempDirectory();

        var outcome = await StartAsync(temp.Path, "--head", "--port", "0", "--resources", "{ssd: one");

        Assert.True(outcome.ExitCode == 2, $"exit code 2 expected: {outcome}");
        Assert.Contains("--resources", outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(NodeProcessesOf(temp.Path));
    }

    // `plexus start` without --block: the launcher starts the daemon and waits for it to serve or exit.
    private static Task<CommandOutcome> StartAsync(string tempDirectory, params string[] arguments) =>
        HostCommand.RunAsync(
            PlexusCli.Real().Command(["start", .. arguments, "--node-ip", "127.0.0.1", "--temp-dir", tempDirectory]),
            CommandTimeout);

    // A port nothing listens on: the OS gave it and it was released at once.
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    // Every running process whose command line names this node's directory (a daemon left behind).
    private static List<string> NodeProcessesOf(string tempDirectory) =>
        ProcFs.All()
            .Where(p => !p.IsZombie)
            .Select(p => (p.Pid, CommandLine: ReadCommandLine(p.Pid)))
            .Where(p => p.CommandLine.Contains(tempDirectory, StringComparison.Ordinal))
            .Select(p => $"{p.Pid}: {p.CommandLine}")
            .ToList();

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // gone meanwhile
        }
    }
}
