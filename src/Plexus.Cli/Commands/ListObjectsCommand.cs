using System.CommandLine;
using System.Text.Json;
using Plexus.Cli.State;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus list objects [--job J] [--node N] [--limit N] [--all] [--json]</c>: the objects in the
/// nodes' stores, largest first, with their size, place (memory or spilled, primary or copy), owner
/// and call site, as each node last reported them; with <c>--all</c>, also those the drivers and
/// workers hold in their own memory, and each process's counts.
/// </summary>
internal static class ListObjectsCommand
{
    public static Command Create(CliContext context)
    {
        var job = StateFlags.Job("Only objects of this job.");
        var node = StateFlags.Node("Only objects in this node's store.");
        var limit = StateFlags.Limit();
        var all = StateFlags.IncludeHeld();
        var json = StateFlags.Json();
        var address = StateFlags.Address();
        var tokenFile = StateFlags.TokenFile();
        var command = new Command("objects", "Objects in the nodes' stores: size, memory or spilled, primary or copy, owner, call site (largest first).")
        {
            job, node, limit, all, json, address, tokenFile,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var target = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);
            var cluster = ClusterState.Connect(target.Address, target.Token, StateCommands.CallTimeout);
            await using (cluster.ConfigureAwait(false))
            {
                return await StateCommands.RunAsync("plexus list objects", context, async () =>
                {
                    var listing = await cluster.ListObjectsAsync(parsed.GetValue(job), parsed.GetValue(node), parsed.GetValue(limit), parsed.GetValue(all), cancellationToken).ConfigureAwait(false);
                    if (parsed.GetValue(json))
                    {
                        await context.Output.WriteLineAsync(JsonSerializer.Serialize(listing, CliJsonContext.Default.ObjectListing)).ConfigureAwait(false);
                    }
                    else
                    {
                        ObjectTables.Objects(listing, CliConsole.Create(context));
                    }
                }).ConfigureAwait(false);
            }
        });
        return command;
    }
}
