using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Plexus.Cli.Node;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus control --port P --node-ip IP --token-file F --temp-dir D [--storage URI] [--node-timeout-ms N] [--dashboard-port P]</c>,
/// hidden: the head's control service as a process of its own, which <c>plexus start --head</c>
/// starts (and restarts) itself. It serves until SIGTERM or until its standard input ends. The
/// token is read from a file, never taken as an argument (every user of the machine can read argv).
/// </summary>
internal static class ControlCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "control";

    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port")
        {
            Description = "The port to serve on.",
            HelpName = "P",
            Required = true,
            CustomParser = result => BoundedNumber.Parse(result, "--port", 1, 65535, "a port between 1 and 65535"),
        };
        var nodeIp = new Option<IPAddress>("--node-ip")
        {
            Description = "The address to serve on: the head node's.",
            HelpName = "ADDRESS",
            Required = true,
            CustomParser = ParseAddress,
        };
        var tokenFile = SharedOptions.TokenFile("The file holding the cluster token (the head's <temp-dir>/token).");
        tokenFile.Required = true;
        var storage = SharedOptions.Storage("Where the service keeps its tables. Default: file://<temp-dir>/control.");
        var nodeTimeout = SharedOptions.NodeTimeout();
        var dashboardPort = SharedOptions.DashboardPort(0, "The port of the head's dashboard, served on --node-ip beside the service. Default: 0, none.");
        var tempDir = SharedOptions.TempDirectory(context);

        var command = new Command(Name, "Serve the head's control service in this process until SIGTERM or until standard input ends (the head starts it).")
        {
            port, nodeIp, tokenFile, storage, nodeTimeout, dashboardPort, tempDir,
        };
        command.Hidden = true;
        command.SetAction((parsed, cancellationToken) =>
        {
            string temporary = Path.GetFullPath(parsed.GetRequiredValue(tempDir));
            var settings = new ControlServiceSettings
            {
                Port = parsed.GetValue(port),
                ListenAddress = parsed.GetRequiredValue(nodeIp),
                TempDirectory = temporary,
                Storage = parsed.GetValue(storage) ?? NodeStartOptions.DefaultStorage(temporary),
                NodeTimeout = parsed.GetValue(nodeTimeout) is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null,
                DashboardPort = parsed.GetValue(dashboardPort),
            };
            return ForegroundControlService.RunAsync(settings, parsed.GetRequiredValue(tokenFile)!, context, cancellationToken);
        });
        return command;
    }

    private static IPAddress? ParseAddress(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!IPAddress.TryParse(text, out var address))
        {
            result.AddError($"--node-ip: '{text}' is not an IP address.");
        }

        return address;
    }
}
