using System.CommandLine;
using System.CommandLine.Parsing;
using Plexus.Control.Storage;

namespace Plexus.Cli.Commands;

/// <summary>The flags several commands take, spelled and described once.</summary>
internal static class SharedOptions
{
    /// <summary><c>--dashboard-port P</c>: the head's dashboard, 0 for none; a value out of range is a usage error.</summary>
    public static Option<int> DashboardPort(int defaultPort, string description) => new("--dashboard-port")
    {
        Description = description,
        HelpName = "P",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = result => BoundedNumber.Parse(result, "--dashboard-port", 0, 65535, "a port between 1 and 65535, or 0 for no dashboard"),
    };

    public static Option<string> TempDirectory(CliContext context) => new("--temp-dir")
    {
        Description = "The node's directory: pid file, node.json, token, logs, store and spill files.",
        HelpName = "DIR",
        DefaultValueFactory = _ => context.DefaultTempDirectory,
    };

    public static Option<FileInfo?> TokenFile(string description) => new("--token-file")
    {
        Description = description,
        HelpName = "FILE",
    };

    /// <summary>A control address flag, checked when parsed so a malformed one is a usage error.</summary>
    public static Option<string?> Address(string description)
    {
        var option = new Option<string?>("--address") { Description = description, HelpName = "HOST:PORT" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ControlAddress.TryParse(text, out var error) is null)
            {
                result.AddError($"--address {error}");
            }
        });
        return option;
    }

    /// <summary>A control storage flag, checked when parsed (<see cref="ControlStorage.TryParse"/>) so a malformed one is a usage error.</summary>
    public static Option<string?> Storage(string description) => new("--storage")
    {
        Description = description,
        HelpName = "URI",
        CustomParser = ParseStorage,
    };

    private static string? ParseStorage(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!ControlStorage.TryParse(text, out _, out string? problem))
        {
            result.AddError($"--storage: {problem}");
            return null;
        }

        return text;
    }

    /// <summary>
    /// The head's failure detector: how long it waits for a node's heartbeat before it declares the
    /// node dead. Hidden: for tests and benchmarks that kill nodes and would otherwise wait out the 10 s default.
    /// </summary>
    public static Option<int?> NodeTimeout() => new("--node-timeout-ms")
    {
        Description = "How long the head waits for a node's heartbeat before it declares the node dead (with --head). Default: 10000.",
        HelpName = "MS",
        Hidden = true,
        CustomParser = result => BoundedNumber.Parse(result, "--node-timeout-ms", 100, int.MaxValue, "a number of milliseconds, 100 or more"),
    };
}
