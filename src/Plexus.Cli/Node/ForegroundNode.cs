using System.Globalization;
using Microsoft.Extensions.Logging;
using Plexus.Cli.Processes;
using Plexus.Cluster;
using Plexus.Control;

namespace Plexus.Cli.Node;

/// <summary>
/// <c>plexus start ... --block</c>: runs the node in this process (on a head, after starting its
/// control service process: <see cref="ControlServiceSupervisor"/>) until SIGTERM or SIGINT, then
/// leaves the cluster gracefully: it takes no new work, waits for the tasks queued and running on
/// it to finish (SIGKILL cuts that short), and leaves. <c>node.pid</c> exists while it runs, <c>node.json</c> once it
/// serves; both are removed when it exits. When the cluster declares the node dead (it was cut off
/// from the head longer than the node timeout), the node stops everything it ran and a new node,
/// with a new id and store and the same settings, takes its place (node.json names the new one), at
/// most <see cref="FencedRestartBudget.Default"/>'s 5 times in 5 minutes; after that it exits with failure.
/// </summary>
internal static class ForegroundNode
{
    /// <summary>The flag that runs a node in the foreground (what a background node is started with).</summary>
    public const string Flag = "--block";

    public static async Task<int> RunAsync(NodeStartOptions options, CliContext context, CancellationToken cancellationToken)
    {
        // A joining node without a token is a usage error: found before anything is written.
        string? joinToken = options.Head ? null : ClusterTokens.ReadForJoin(options.TokenFile, context);
        var files = new NodeStateFiles(options.TempDirectory);
        files.Create();
        if (files.FindRunningNode() is { } running)
        {
            await context.Error.WriteLineAsync(AlreadyRunning(files, running)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        string token = joinToken ?? ClusterTokens.CreateForHead(files, context);
        if (options.Head)
        {
            ClusterTokens.CreateReadOnlyForHead(files);
        }

        using var stop = new StopSignal(cancellationToken);
        using var loggerFactory = CliLogging.CreateFactory(Path.Combine(files.Directory, "logs"), "node");
        var logger = loggerFactory.CreateLogger("Plexus.Cli");

        files.RemoveRecord();
        files.WritePid(Environment.ProcessId);
        try
        {
            ControlServiceSupervisor? control;
            try
            {
                // The head's control service runs as a process of its own, started first: the node registers with it.
                control = options.Head
                    ? await ControlServiceSupervisor.StartAsync(options.ToControlSettings(), files, token, loggerFactory, stop.Token).ConfigureAwait(false)
                    : null;
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ArgumentException or ControlServiceStartException)
            {
                return await DidNotStartAsync(context, e).ConfigureAwait(false);
            }

            try
            {
                return await ServeAsync(options.ToSettings(token, control?.Address), files, stop, context, logger, loggerFactory).ConfigureAwait(false);
            }
            finally
            {
                // Stopped after the node has left the cluster through it.
                if (control is not null)
                {
                    await control.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            files.RemoveNodeFiles();
        }
    }

    /// <summary>The message for a second node started from the directory of one that runs.</summary>
    public static string AlreadyRunning(NodeStateFiles files, RunningNode running) =>
        $"A node is already running from {files.Directory} (pid {running.Pid}). " +
        $"Stop it first (plexus stop --temp-dir {files.Directory}), or give this node another --temp-dir.";

    private static async Task<int> DidNotStartAsync(CliContext context, Exception e)
    {
        await context.Error.WriteLineAsync($"plexus start: the node did not start: {e.Message}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    private static async Task<int> ServeAsync(
        ClusterNodeSettings settings, NodeStateFiles files, StopSignal stop, CliContext context, ILogger logger, ILoggerFactory loggerFactory)
    {
        var restarts = FencedRestartBudget.Default(TimeProvider.System);
        string nodeId;
        while (true)
        {
            ClusterNode node;
            try
            {
                node = await ClusterNode.StartAsync(settings, loggerFactory, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ArgumentException or IOException or ControlServiceUnavailableException)
            {
                return await DidNotStartAsync(context, e).ConfigureAwait(false);
            }

            // The control service lists node ids as their big-endian bytes in hex: the same text.
            nodeId = node.NodeId.ToString("x16", CultureInfo.InvariantCulture);
            await using (node.ConfigureAwait(false))
            {
                var self = ProcStat.Read(Environment.ProcessId) ?? throw new InvalidOperationException("/proc does not list this process: plexus runs on Linux only.");
                files.WriteRecord(new NodeRecord(Environment.ProcessId, nodeId, node.NodeAddress, node.ControlAddress, settings.Head, self.StartTicks));
                CliLog.NodeServing(logger, nodeId, node.NodeAddress, node.ControlAddress, settings.Head, Environment.ProcessId, files.Directory);

                await Task.WhenAny(node.Stopped, node.Fenced, stop.Requested).ConfigureAwait(false);
                if (stop.Requested.IsCompleted)
                {
                    CliLog.StopRequested(logger);
                    // Unbounded here: `plexus stop` (or a supervisor) kills the node when its grace period ends.
                    await node.DrainAsync(CancellationToken.None).ConfigureAwait(false);
                    CliLog.Drained(logger);
                    break;
                }

                if (!node.Fenced.IsCompleted)
                {
                    CliLog.NodeFailed(logger, node.Stopped.Exception?.GetBaseException(), nodeId);
                    return ExitCodes.Failure;
                }
            }

            // Fenced: the old node has stopped what it ran; a new one (new id, new store) takes its place.
            string reason = await node.Fenced.ConfigureAwait(false);
            if (!restarts.TryRestart())
            {
                CliLog.FencedTooOften(logger, nodeId, reason, restarts.Limit, restarts.Window.TotalMinutes);
                return ExitCodes.Failure;
            }

            CliLog.NodeFenced(logger, nodeId, reason);
        }

        CliLog.NodeLeft(logger, nodeId);
        return ExitCodes.Success;
    }
}
