namespace Plexus.ClusterHosting;

/// <summary>Runs iproute2's <c>ip</c>, for the namespaces, veth pairs and bridges of a test network.</summary>
internal static class IpCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <c>ip ARGS</c> and returns what it printed.</summary>
    /// <exception cref="NetworkSetupException">It failed; the message has the command and its error.</exception>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var outcome = await HostCommand.RunAsync(new CommandLine("ip", arguments), Timeout);
        return outcome.ExitCode == 0
            ? outcome.StandardOutput
            : throw new NetworkSetupException(
                $"`ip {string.Join(' ', arguments)}` failed (exit code {outcome.ExitCode}): {outcome.StandardError.Trim()} " +
                "Network namespaces need root and iproute2; without them the fixture runs nodes on loopback addresses instead.");
    }

    /// <summary>Runs <c>ip ARGS</c> for something that may be gone already; true when it succeeded.</summary>
    public static async Task<bool> TryRunAsync(params string[] arguments) =>
        (await HostCommand.RunAsync(new CommandLine("ip", arguments), Timeout)).ExitCode == 0;

    /// <summary>The names of the network namespaces that exist.</summary>
    public static async Task<IReadOnlyList<string>> NamespacesAsync() =>
        [.. (await RunAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])];

    /// <summary>The names of the links of this machine's (the root) namespace.</summary>
    public static async Task<IReadOnlyList<string>> LinksAsync() =>
        // `ip -o link` prints "3: name@peer: <FLAGS> ..." one link per line.
        [.. (await RunAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0])];
}
