using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Plexus.Cli.Commands;

namespace Plexus.Cli;

/// <summary>
/// The <c>plexus</c> command line: parses, reports usage errors with exit code 2 (the parser's
/// own default is 1, which scripts could not tell from a failed command), and runs the command.
/// </summary>
internal static class PlexusCommandLine
{
    /// <summary>Runs one command line and returns the process's exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken = default)
    {
        // Not a RootCommand, which takes its name from the executable: this tool is `plexus`
        // however it was started (dotnet Plexus.Cli.dll, dotnet run, the installed tool).
        var root = new Command("plexus", "Plexus: start a cluster node, stop it, and show the cluster's nodes and jobs.")
        {
            new HelpOption(),
            new VersionOption(),
            StartCommand.Create(context),
            StopCommand.Create(context),
            StatusCommand.Create(context),
            ControlCommand.Create(context),
            SubmitCommand.Create(context),
            JobsCommand.Create(context),
            LogsCommand.Create(context),
            StopJobCommand.Create(context),
            ListCommand.Create(context),
            SummaryCommand.Create(context),
            TimelineCommand.Create(context),
            MemoryCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync($"Run '{CommandPath(parsed)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            // `start --block` handles SIGTERM and SIGINT itself (to leave the cluster gracefully).
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
