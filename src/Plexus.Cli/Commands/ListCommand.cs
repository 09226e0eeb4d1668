using System.CommandLine;
using System.Text.Json;
using Plexus.Cli.State;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus list tasks|actors|workers|nodes|jobs [--state S] [--job J] [--node N] [--limit N] [--json]</c>:
/// the cluster's state from the head's control service, a table by default. Tasks and actors are
/// filtered, sorted and paged by the service; workers, nodes and jobs (a few per node) are read
/// whole and filtered here.
/// </summary>
internal static class ListCommand
{
    private static readonly string[] TaskStates = [.. Enum.GetNames<ClusterTaskState>()];
    private static readonly string[] ActorStates = ["ALIVE", "PENDING", "RESTARTING", "DEAD"];
    private static readonly string[] WorkerStates = ["idle", "busy", "actor"];
    private static readonly string[] NodeStates = ["ALIVE", "DEAD"];
    private static readonly string[] JobStates = ["RUNNING", "FINISHED"];

    public static Command Create(CliContext context) => new("list", "List the cluster's tasks, actors, workers, nodes, jobs or objects.")
    {
        Listing(context, "tasks", "Tasks and actor calls: state, why they wait or failed, where and when they ran (submission order).", TaskStates, pages: true, ListTasksAsync),
        Listing(context, "actors", "Named and restartable actors: state, node, restarts.", ActorStates, pages: false, ListActorsAsync),
        Listing(context, "workers", "Worker processes: node, pid, state, the tasks they hold.", WorkerStates, pages: false, ListWorkersAsync),
        Listing(context, "nodes", "Nodes: address, state, resources.", NodeStates, pages: false, ListNodesAsync),
        Listing(context, "jobs", "Jobs: state, entry, start and end.", JobStates, pages: false, ListJobsAsync),
        ListObjectsCommand.Create(context),
    };

    /// <summary>What one listing was asked for.</summary>
    internal sealed record Filters(string? State, string? Job, string? Node, int Limit, string? PageToken, bool Json);

    private static Command Listing(
        CliContext context, string name, string description, IReadOnlyList<string> states, bool pages,
        Func<ClusterState, Filters, CliContext, CancellationToken, Task> list)
    {
        var state = StateFlags.State(states);
        var job = StateFlags.Job("Only rows of this job.");
        var node = StateFlags.Node("Only rows on this node.");
        var limit = StateFlags.Limit();
        var json = StateFlags.Json();
        var address = StateFlags.Address();
        var tokenFile = StateFlags.TokenFile();
        var command = new Command(name, description) { state, job, node, limit, json, address, tokenFile };
        var pageToken = new Option<string?>("--page-token") { Description = "The next page: the token the page before printed.", HelpName = "TOKEN" };
        if (pages)
        {
            command.Options.Add(pageToken);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var target = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);
            var filters = new Filters(
                parsed.GetValue(state), parsed.GetValue(job), parsed.GetValue(node), parsed.GetValue(limit), pages ? parsed.GetValue(pageToken) : null, parsed.GetValue(json));
            var cluster = ClusterState.Connect(target.Address, target.Token, StateCommands.CallTimeout);
            await using (cluster.ConfigureAwait(false))
            {
                return await StateCommands.RunAsync($"plexus list {name}", context, () => list(cluster, filters, context, cancellationToken)).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task ListTasksAsync(ClusterState cluster, Filters filters, CliContext context, CancellationToken cancellationToken)
    {
        var query = new TaskQuery
        {
            State = filters.State is { } s ? Enum.Parse<ClusterTaskState>(s) : null,
            JobId = filters.Job,
            NodeId = filters.Node,
            Limit = filters.Limit,
            PageToken = filters.PageToken,
        };
        var page = await cluster.ListTasksAsync(query, cancellationToken).ConfigureAwait(false);
        await WriteAsync(context, filters, page, CliJsonContext.Default.TaskPage, () => StateTables.Tasks(page, CliConsole.Create(context))).ConfigureAwait(false);
    }

    private static async Task ListActorsAsync(ClusterState cluster, Filters filters, CliContext context, CancellationToken cancellationToken)
    {
        var actors = await cluster.ListActorsAsync(filters.State, filters.Job, filters.Node, filters.Limit, cancellationToken).ConfigureAwait(false);
        await WriteAsync(context, filters, actors, CliJsonContext.Default.IReadOnlyListActorEntry, () => StateTables.Actors(actors, CliConsole.Create(context))).ConfigureAwait(false);
    }

    private static async Task ListWorkersAsync(ClusterState cluster, Filters filters, CliContext context, CancellationToken cancellationToken)
    {
        var all = await cluster.ListWorkersAsync(filters.Node, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<WorkerEntry> workers = [.. all.Where(w => filters.State is null || w.State == filters.State)
            .Where(w => filters.Job is null || w.CurrentTasks.Any(t => t.StartsWith(filters.Job, StringComparison.Ordinal))).Take(filters.Limit)];
        await WriteAsync(context, filters, workers, CliJsonContext.Default.IReadOnlyListWorkerEntry, () => StateTables.Workers(workers, CliConsole.Create(context))).ConfigureAwait(false);
    }

    private static async Task ListNodesAsync(ClusterState cluster, Filters filters, CliContext context, CancellationToken cancellationToken)
    {
        var all = await cluster.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<NodeEntry> nodes = [.. all.Where(n => (filters.State is null || n.State == filters.State) && (filters.Node is null || n.NodeId == filters.Node)).Take(filters.Limit)];
        await WriteAsync(context, filters, nodes, CliJsonContext.Default.IReadOnlyListNodeEntry, () => StateTables.Nodes(nodes, CliConsole.Create(context))).ConfigureAwait(false);
    }

    private static async Task ListJobsAsync(ClusterState cluster, Filters filters, CliContext context, CancellationToken cancellationToken)
    {
        var all = await cluster.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<JobEntry> jobs = [.. all.Where(j => (filters.State is null || j.State == filters.State) && (filters.Job is null || j.JobId == filters.Job)).Take(filters.Limit)];
        await WriteAsync(context, filters, jobs, CliJsonContext.Default.IReadOnlyListJobEntry, () => StateTables.Jobs(jobs, CliConsole.Create(context))).ConfigureAwait(false);
    }

    private static async Task WriteAsync<T>(CliContext context, Filters filters, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, Action table)
    {
        if (filters.Json)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(value, type)).ConfigureAwait(false);
        }
        else
        {
            table();
        }
    }
}
