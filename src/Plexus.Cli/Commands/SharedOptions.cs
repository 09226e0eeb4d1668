using System.CommandLine;

namespace Plexus.Cli.Commands;

/// <summary>The flags several commands take, spelled and described once.</summary>
internal static class SharedOptions
{
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
}
