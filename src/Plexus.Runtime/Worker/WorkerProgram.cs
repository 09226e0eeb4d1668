using Plexus.Core;
using Plexus.Logging;
using Plexus.Node;
using Plexus.ObjectStore;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Protocol.Transport;

namespace Plexus.Worker;

/// <summary>
/// The entry point of a worker process. It joins its node over the node's socket, maps the node's
/// shared-memory store and runs the tasks it is given until the node tells it to stop or the
/// connection drops (its node or driver died): then it exits, so no worker outlives its cluster.
/// </summary>
internal static class WorkerProgram
{
    // How long a worker that lost its node waits for the node's process to finish exiting.
    private static readonly TimeSpan OwnerExitPatience = TimeSpan.FromSeconds(5);

    public static async Task<int> Main(string[] args)
    {
        WorkerSettings settings;
        try
        {
            settings = WorkerSettings.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"plexus worker: {e.Message} (workers are started by a node daemon, not by hand)").ConfigureAwait(false);
            return 2;
        }

        using var logging = new WorkerLogging(settings);
        Warmup.Run();
        using var arena = SharedMemoryArena.Open(settings.ArenaPath, settings.ArenaCapacity);
        await using var connection = await MessageConnection.ConnectAsync(TransportEndpoint.Unix(settings.SocketName),
            new ConnectionPreamble(ClusterId: 0, settings.NodeId, ProcessIncarnation.Current, settings.ClusterToken)).ConfigureAwait(false);

        var address = new ProcessAddress(settings.NodeId, settings.Process);
        var runtime = new CoreRuntime(settings.Job, address, settings.InlineThreshold, connection.Send,
            (requests, send) => new MessageStoreAccess(arena, settings.NodeId, requests, send), CapabilityKey.FromClusterToken(settings.ClusterToken))
        {
            RecordCallSites = settings.RecordCallSites,
        };
        // Task log entries wait for room on the connection rather than fill it: the forwarder drops past its bound instead.
        var taskLogs = new TaskLogForwarder(Environment.ProcessId, batch => connection.SendAsync(runtime.Addressed(runtime.NodeAddress, batch)),
            TaskLogForwarder.DefaultBatchInterval, TimeProvider.System);
        // Tasks and actors carry their job's level; this one is for code outside them.
        runtime.TaskLogLevel = logging.TaskLogLevel;
        runtime.UseTaskLogging(new TaskLoggerFactory(logging.TaskLogLevel, new WorkerTaskLogSink(logging.File, taskLogs), settings.Job, TimeProvider.System));
        PlexusRuntime.SetWorkerRuntime(new PlexusRuntime(runtime, cluster: null));
        var executor = new TaskExecutor(runtime, settings.Slots, connection.SendLazily, connection.FlushAsync);
        using var stop = new CancellationTokenSource();
        runtime.OnExecute = executor.Enqueue;
        runtime.OnCancel = executor.Cancel;
        var actors = new ActorHost(runtime, executor.Reserve);
        runtime.OnActorMessage = actors.Receive;
        runtime.OnShutdown = stop.Cancel;
        var idleStop = new IdleStop(runtime, executor, actors, connection.FlushAsync, stop.Cancel);
        runtime.OnStopIfIdle = () => _ = idleStop.AnswerAsync();

        connection.Send(new Hello { Process = settings.Process, Pid = Environment.ProcessId });
        logging.Logger.WorkerJoined(settings.Process, settings.NodeId, Environment.ProcessId);
        try
        {
            await connection.ReceiveAsync(runtime.Deliver, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Told to shut down.
        }
        catch (MalformedFrameException e)
        {
            await Console.Error.WriteLineAsync($"plexus worker {settings.Process}: bad frame from node: {e.Message}").ConfigureAwait(false);
            logging.Logger.BadFrame(settings.Process, e.Message);
        }

        logging.Logger.WorkerLeaving(settings.Process, stop.IsCancellationRequested ? "its node told it to stop, or it was idle" : "its node's connection closed");

        runtime.Close(new ObjectDisposedException("The worker's node connection closed."));
        if (!stop.IsCancellationRequested)
        {
            // The node went away without telling its workers to stop: its process died, or a
            // signal ended it, with no chance to remove its spill files. The first worker to see
            // the process gone removes them.
            await SpillDirectoryOwner.RemoveWhenOwnerGoneAsync(settings.SpillDirectory, OwnerExitPatience).ConfigureAwait(false);
        }

        // Tasks may still be running on pool threads: the process ends with them.
        return 0;
    }
}
