using System.CommandLine;
using System.CommandLine.Parsing;
using Plexus.Cli.Node;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus start --head | --address HOST:PORT</c>: starts a node, in the background unless
/// <c>--block</c>. Exactly one of <c>--head</c> and <c>--address</c>; the rest is checked while parsing.
/// </summary>
internal static class StartCommand
{
    public static Command Create(CliContext context)
    {
        var head = new Option<bool>("--head") { Description = "Start a new cluster: this node is its head and serves the control service." };
        var address = SharedOptions.Address("Join the cluster whose head's control service is at HOST:PORT.");
        var port = new Option<int>("--port")
        {
            Description = "The head's control port (with --head).",
            HelpName = "P",
            DefaultValueFactory = _ => ControlServiceSettings.DefaultPort,
            CustomParser = result => BoundedNumber.Parse(result, "--port", 1, 65535, "a port between 1 and 65535"),
        };
        var tokenFile = SharedOptions.TokenFile("The file holding the cluster token (with --address); default: the PLEXUS_TOKEN variable.");
        var resources = new Option<IReadOnlyDictionary<string, double>>("--resources")
        {
            Description = "Custom resources this node offers, as JSON, e.g. '{\"ssd\": 1}'.",
            HelpName = "JSON",
            CustomParser = ParseResources,
            DefaultValueFactory = _ => new Dictionary<string, double>(),
        };
        var cpus = new Option<int?>("--cpus")
        {
            Description = "CPU slots this node offers. Default: the number of cores.",
            HelpName = "N",
            CustomParser = result => BoundedNumber.Parse(result, "--cpus", 0, int.MaxValue, "a whole number of CPU slots, 0 or more"),
        };
        var storeMemory = new Option<long?>("--object-store-memory")
        {
            Description = "Bytes of shared memory for the object store. Default: 30% of physical memory.",
            HelpName = "BYTES",
            CustomParser = result => BoundedNumber.Parse(result, "--object-store-memory", 1L, long.MaxValue, "a positive number of bytes"),
        };
        var nodeIp = new Option<string?>("--node-ip")
        {
            Description = "The address this node binds and advertises. Default: the machine's first non-loopback IPv4 address.",
            HelpName = "ADDRESS",
        };
        var nodeTimeout = SharedOptions.NodeTimeout();
        // Hidden: for tests that kill the control service and would otherwise wait out the back-off.
        var restartDelay = new Option<int?>("--control-restart-delay-ms")
        {
            Description = "How long the head waits before starting its exited control service again (with --head). Default: 500, doubling to 5000 while it keeps exiting.",
            HelpName = "MS",
            Hidden = true,
            CustomParser = result => BoundedNumber.Parse(result, "--control-restart-delay-ms", 0, int.MaxValue, "a number of milliseconds, 0 or more"),
        };
        var storage = SharedOptions.Storage(
            "Where the control service keeps nodes, jobs and actors, for a restarted head to recover them (with --head): "
            + "a directory (file://DIR or a path), redis://HOST:PORT[/DB] (password from PLEXUS_REDIS_PASSWORD) or memory. Default: file://<temp-dir>/control.");
        var metricsPort = new Option<int>("--metrics-port")
        {
            Description = "Serve this node's metrics in Prometheus format at http://NODE_IP:P/metrics. Default: 0, no metrics.",
            HelpName = "P",
            CustomParser = result => BoundedNumber.Parse(result, "--metrics-port", 0, 65535, "a port between 1 and 65535, or 0 for no metrics"),
        };
        var dashboardPort = SharedOptions.DashboardPort(
            Dashboard.DashboardOptions.DefaultPort,
            $"Serve the web dashboard at http://NODE_IP:P/ (with --head; `plexus status` prints its URL). Default: {Dashboard.DashboardOptions.DefaultPort}; 0, no dashboard.");
        var workerIdleTimeout = WorkerIdleTimeoutOption.Create();
        var tempDir = SharedOptions.TempDirectory(context);
        var block = new Option<bool>(ForegroundNode.Flag) { Description = "Run the node in the foreground until SIGTERM or Ctrl+C, logging to the terminal." };

        var command = new Command("start", "Start a cluster node on this machine: a new cluster's head (--head) or a node joining one (--address).")
        {
            head, address, port, tokenFile, resources, cpus, storeMemory, nodeIp, nodeTimeout, restartDelay, storage, metricsPort, dashboardPort, workerIdleTimeout, tempDir, block,
        };
        command.Validators.Add(result => Validate(result, head, address, port, tokenFile,
        [
            (nodeTimeout, "--node-timeout-ms is the head's failure detector: give it with --head."),
            (restartDelay, "--control-restart-delay-ms is how the head restarts its control service: give it with --head."),
            (storage, "--storage is where the head's control service keeps its tables: give it with --head."),
            (dashboardPort, "--dashboard-port is the head's dashboard: give it with --head."),
        ]));
        command.SetAction((parsed, cancellationToken) =>
        {
            var options = new NodeStartOptions
            {
                Head = parsed.GetValue(head),
                HeadAddress = parsed.GetValue(address) is { } text ? HostPort(ControlAddress.Parse(text, "--address")) : null,
                Port = parsed.GetValue(port),
                NodeIp = parsed.GetValue(nodeIp),
                TempDirectory = parsed.GetRequiredValue(tempDir),
                Cpus = parsed.GetValue(cpus),
                ObjectStoreMemory = parsed.GetValue(storeMemory),
                Resources = parsed.GetRequiredValue(resources),
                TokenFile = parsed.GetValue(tokenFile),
                NodeTimeout = parsed.GetValue(nodeTimeout) is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null,
                Storage = parsed.GetValue(storage),
                ControlRestartDelay = parsed.GetValue(restartDelay) is { } delay ? TimeSpan.FromMilliseconds(delay) : null,
                MetricsPort = parsed.GetValue(metricsPort),
                DashboardPort = parsed.GetValue(dashboardPort),
                WorkerIdleTimeout = parsed.GetValue(workerIdleTimeout),
            };
            return parsed.GetValue(block)
                ? ForegroundNode.RunAsync(options, context, cancellationToken)
                : DaemonLauncher.LaunchAsync(options, parsed.Tokens.Select(t => t.Value).ToList(), context, cancellationToken);
        });
        return command;
    }

    private static void Validate(
        CommandResult result, Option<bool> head, Option<string?> address, Option<int> port, Option<FileInfo?> tokenFile, IReadOnlyList<(Option Option, string Message)> headOnly)
    {
        bool isHead = result.GetValue(head);
        bool joins = result.GetValue(address) is not null;
        if (isHead == joins)
        {
            result.AddError("Give exactly one of --head (start a new cluster) and --address HOST:PORT (join the cluster at that address).");
        }

        if (joins && Given(result, port))
        {
            result.AddError("--port is the head's control port: give it with --head (a joining node finds the head through --address).");
        }

        foreach (var (option, message) in headOnly)
        {
            if (!isHead && Given(result, option))
            {
                result.AddError(message);
            }
        }

        if (isHead && Given(result, tokenFile))
        {
            result.AddError("--token-file is for a joining node: the head takes PLEXUS_TOKEN, or makes a token and writes it to <temp-dir>/token.");
        }
    }

    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static IReadOnlyDictionary<string, double>? ParseResources(ArgumentResult result)
    {
        var parsed = ResourceParser.TryParse(result.Tokens.Count == 1 ? result.Tokens[0].Value : "", out var error);
        if (error is not null)
        {
            result.AddError(error);
        }

        return parsed;
    }

    private static string HostPort(Uri address) => $"{address.Host}:{address.Port}";
}
