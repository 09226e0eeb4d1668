using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Control.Storage;
using Plexus.Hosting.Cluster;

namespace Plexus.Cli.Node;

/// <summary>
/// <c>plexus control</c>: the head's control service in a process of its own, started and
/// restarted by the head (<see cref="ControlServiceSupervisor"/>). It serves until SIGTERM or until
/// its standard input (a pipe from the head) ends; SIGINT is ignored, so the service outlives a
/// Ctrl+C'd head while the head drains.
/// </summary>
internal static class ForegroundControlService
{
    public static async Task<int> RunAsync(ControlServiceSettings settings, FileInfo tokenFile, CliContext context, CancellationToken cancellationToken)
    {
        string token = ClusterTokens.ReadFile(tokenFile);
        using var stop = new StopSignal(cancellationToken, interruptStops: false);
        using var loggerFactory = CliLogging.CreateFactory(Path.Combine(settings.TempDirectory, "logs"), "control");
        var logger = loggerFactory.CreateLogger("Plexus.Cli.Control");
        var headGone = StandardInputWatch.ClosedAsync();
        ControlServer server;
        try
        {
            server = await ControlServer.StartAsync(Options(settings, token, loggerFactory), stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or IOException or ControlStorageUnavailableException)
        {
            string problem = e is IOException
                ? $"The control service cannot listen on {settings.Address}: {e.Message} (is another head running? choose another --port)"
                : e.Message;
            await context.Error.WriteLineAsync($"plexus control: the control service did not start: {problem}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using (server.ConfigureAwait(false))
        {
            CliLog.ControlServing(logger, server.Address, settings.Storage, Environment.ProcessId);
            bool byHead = await Task.WhenAny(stop.Requested, headGone).ConfigureAwait(false) == headGone;
            CliLog.ControlStopping(logger, byHead ? "its head is gone (standard input closed)" : "SIGTERM");
        }

        return ExitCodes.Success;
    }

    private static ControlServerOptions Options(ControlServiceSettings settings, string token, ILoggerFactory loggerFactory)
    {
        var options = new ControlServerOptions
        {
            Port = settings.Port,
            ListenAddress = settings.ListenAddress,
            ClusterToken = token,
            HeartbeatInterval = ClusterMembership.HeartbeatInterval,
            Storage = settings.Storage,
            // Packages must outlive the service as the tables do (a node that joins after a restart
            // fetches them): beside file tables by default, and under the head's directory otherwise.
            PackageDirectory = ControlStorage.TryParse(settings.Storage, out var storage, out _) && storage is ControlStorage.Redis
                ? Path.Combine(settings.TempDirectory, "control", "packages")
                : null,
            LoggerFactory = loggerFactory,
        };
        if (settings.NodeTimeout is { } timeout)
        {
            options.HeartbeatTimeout = timeout;
        }

        return options;
    }

}
