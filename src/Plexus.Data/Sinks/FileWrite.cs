using Plexus.Data.Execution;
using Plexus.Data.Files;
using Plexus.Data.Plan;

namespace Plexus.Data.Sinks;

/// <summary>
/// A write on the driver: prepares the output directory on every node that writes, runs the plan
/// into part files, and commits them (moved into place, then <c>_SUCCESS</c>) once every block is
/// written; on failure or cancellation it deletes the run's temporary files instead, so readers
/// never see a partial output.
/// </summary>
internal static class FileWrite
{
    public static async Task<WriteResult> RunAsync<T>(
        DataContext context, StagePlan plan, string directory, FileFormat<T> format, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var write = options ?? WriteOptions.Default;
        var run = await RunContext.StartAsync(context.Plexus, context.Options, cancellationToken).ConfigureAwait(false);
        var fullPath = Path.GetFullPath(directory);
        var nodeLocal = LocalityResolver.Resolve(write.Locality, fullPath, run.Nodes.Count, MountTable.Current()) == Locality.NodeLocal;
        var writers = nodeLocal ? [.. run.Nodes.Where(n => n.Resources.GetValueOrDefault("CPU") > 0).Select(n => n.NodeId)] : new List<string>();
        var commit = new FileCommit(fullPath, run.RunId, write.Mode, format.Extension);
        var parts = new List<(string Node, WrittenPart Part)>();
        try
        {
            await PrepareAsync(run, writers, commit, cancellationToken).ConfigureAwait(false);
            await foreach (var block in new StageExecutor(run).RunAsync(plan, new FileOutput<T> { Commit = commit, Format = format }).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                parts.Add((block.Meta.NodeId, FileOutput<T>.PartOf(block.Meta)));
                PlexusRuntime.Free([.. block.Blocks]);
            }

            if (nodeLocal)
            {
                foreach (var node in writers)
                {
                    var mine = parts.Where(p => p.Node == node).Select(p => p.Part).ToArray();
                    await RunOnNodeAsync(run, node, new FileCommit(fullPath, run.RunId, write.Mode, format.Extension, node), mine, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                commit.Commit([.. parts.Select(p => p.Part)]);
            }
        }
        catch
        {
            await AbortAsync(run, writers, commit).ConfigureAwait(false);
            run.Finish();
            throw;
        }

        var summary = run.Finish();
        var files = parts.OrderBy(p => p.Part.Block).Select(p => new WrittenFile(p.Part.FileName, p.Node, p.Part.Rows, p.Part.Bytes)).ToList();
        return new WriteResult(fullPath, files, files.Sum(f => f.Rows), files.Sum(f => f.Bytes), summary);
    }

    /// <summary>Checks the mode and creates the run's temporary directory: on the driver (a shared directory) or on each writing node.</summary>
    private static async Task PrepareAsync(RunContext run, List<string> nodes, FileCommit commit, CancellationToken cancellationToken)
    {
        if (nodes.Count == 0)
        {
            commit.Prepare();
            return;
        }

        foreach (var node in nodes)
        {
            await RunOnNodeAsync(run, node, commit, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Prepares (<paramref name="parts"/> null) or commits the node's part of the output, in a task placed on it.</summary>
    private static async Task RunOnNodeAsync(RunContext run, string node, FileCommit commit, WrittenPart[]? parts, CancellationToken cancellationToken)
    {
        using var done = run.Plexus.Task<FileCommit, WrittenPart[]?, bool>(CommitTasks.PrepareOrCommit)
            .WithOptions(new TaskOptions { Name = $"{(parts is null ? "prepare" : "commit")} {commit.OutputDirectory} on {node}", Strategy = SchedulingStrategy.NodeAffinity(node) })
            .Remote(commit, parts);
        await done.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the run's temporary files everywhere; best effort, since readers never see them.</summary>
    private static async Task AbortAsync(RunContext run, List<string> nodes, FileCommit commit)
    {
        if (nodes.Count == 0)
        {
            TryAbort(commit);
            return;
        }

        foreach (var node in nodes)
        {
            try
            {
                using var done = run.Plexus.Task<FileCommit, bool>(CommitTasks.Abort)
                    .WithOptions(new TaskOptions { Name = $"abort {commit.OutputDirectory} on {node}", Strategy = SchedulingStrategy.NodeAffinity(node) })
                    .Remote(commit);
                await done.GetAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is TaskFailedException or NodeUnavailableException or WorkerCrashedException)
            {
                // The node is gone or its disk failed: its temporary files are invisible to readers either way.
            }
        }
    }

    private static void TryAbort(FileCommit commit)
    {
        try
        {
            commit.Abort();
        }
        catch (IOException)
        {
            // Left behind under _temporary, which readers skip.
        }
    }
}

/// <summary>The tasks that prepare, commit and abort a node's part of a write.</summary>
internal static class CommitTasks
{
    public static bool PrepareOrCommit(FileCommit commit, WrittenPart[]? parts)
    {
        if (parts is null)
        {
            commit.Prepare();
        }
        else
        {
            commit.Commit(parts);
        }

        return true;
    }

    public static bool Abort(FileCommit commit)
    {
        commit.Abort();
        return true;
    }
}
