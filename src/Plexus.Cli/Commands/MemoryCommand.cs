using System.CommandLine;
using System.Text.Json;
using Plexus.Cli.State;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus memory [--group-by node|job|callsite] [--all] [--json]</c>: the memory report
/// cluster-wide, the stores' objects grouped (bytes, counts, spilled bytes) and each node's store
/// capacity, use and spilled bytes; with <c>--all</c>, the groups count the values drivers and
/// workers hold in their own memory too, and each process's counts are shown.
/// </summary>
internal static class MemoryCommand
{
    public static Command Create(CliContext context)
    {
        var groupBy = new Option<MemoryGrouping>("--group-by")
        {
            Description = "Group the objects by node, job or callsite (what made them). Default: node.",
            HelpName = "node|job|callsite",
            DefaultValueFactory = _ => MemoryGrouping.Node,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                switch (text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant())
                {
                    case "NODE": return MemoryGrouping.Node;
                    case "JOB": return MemoryGrouping.Job;
                    case "CALLSITE": return MemoryGrouping.CallSite;
                    default:
                        result.AddError($"--group-by must be node, job or callsite, got '{text}'.");
                        return MemoryGrouping.Node;
                }
            },
        };
        var all = StateFlags.IncludeHeld();
        var json = StateFlags.Json();
        var address = StateFlags.Address();
        var tokenFile = StateFlags.TokenFile();
        var command = new Command("memory", "The object stores' use cluster-wide: by node, job or call site, and each node's capacity, use and spilled bytes.")
        {
            groupBy, all, json, address, tokenFile,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var target = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);
            var cluster = ClusterState.Connect(target.Address, target.Token, StateCommands.CallTimeout);
            await using (cluster.ConfigureAwait(false))
            {
                return await StateCommands.RunAsync("plexus memory", context, async () =>
                {
                    var report = await cluster.GetMemoryReportAsync(parsed.GetValue(groupBy), parsed.GetValue(all), cancellationToken).ConfigureAwait(false);
                    if (parsed.GetValue(json))
                    {
                        await context.Output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.ClusterMemoryReport)).ConfigureAwait(false);
                    }
                    else
                    {
                        ObjectTables.Memory(report, CliConsole.Create(context));
                    }
                }).ConfigureAwait(false);
            }
        });
        return command;
    }
}
