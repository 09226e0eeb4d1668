using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Plexus.Dashboard;
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
        string? readOnlyToken = ReadOnlyToken(settings);
        using var stop = new StopSignal(cancellationToken, interruptStops: false);
        using var loggerFactory = CliLogging.CreateFactory(Path.Combine(settings.TempDirectory, "logs"), "control");

        // The dashboard binds its port before the control service answers: the head takes the
        // service's first answer for a start that worked, so a dashboard port in use must fail the
        // start before it. Its pages wait for the service meanwhile.
        var service = new TaskCompletionSource<ControlService>(TaskCreationOptions.RunContinuationsAsynchronously);
        DashboardServer? dashboard;
        try
        {
            dashboard = settings.DashboardPort == 0 ? null : await DashboardServer.StartAsync(
                new DashboardOptions { ListenAddress = settings.ListenAddress, Port = settings.DashboardPort, ClusterToken = token, ReadOnlyToken = readOnlyToken },
                service.Task,
                loggerFactory,
                stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (DashboardPortUnavailableException e)
        {
            await context.Error.WriteLineAsync($"plexus control: the control service did not start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            return await ServeAsync(Options(settings, token, readOnlyToken, loggerFactory), settings, service, dashboard, context, stop).ConfigureAwait(false);
        }
        finally
        {
            service.TrySetCanceled(CancellationToken.None);
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Serves until SIGTERM or until the head is gone; the dashboard (when there is one) stops before the service it reads.
    private static async Task<int> ServeAsync(
        ControlServerOptions options, ControlServiceSettings settings, TaskCompletionSource<ControlService> service, DashboardServer? dashboard, CliContext context, StopSignal stop)
    {
        var logger = options.LoggerFactory!.CreateLogger("Plexus.Cli.Control");
        var headGone = StandardInputWatch.ClosedAsync();
        ControlServer server;
        try
        {
            server = await ControlServer.StartAsync(options, stop.Token).ConfigureAwait(false);
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
            service.SetResult(server.Service);
            CliLog.ControlServing(logger, server.Address, settings.Storage, Environment.ProcessId);
            bool byHead = await Task.WhenAny(stop.Requested, headGone).ConfigureAwait(false) == headGone;
            CliLog.ControlStopping(logger, byHead ? "its head is gone (standard input closed)" : "SIGTERM");
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    // The head wrote it beside the cluster token before starting the service; a service started by hand may have none.
    private static string? ReadOnlyToken(ControlServiceSettings settings)
    {
        var file = new FileInfo(new NodeStateFiles(settings.TempDirectory).ReadOnlyTokenPath);
        return file.Exists ? ClusterTokens.ReadFile(file) : null;
    }

    private static ControlServerOptions Options(ControlServiceSettings settings, string token, string? readOnlyToken, ILoggerFactory loggerFactory)
    {
        var options = new ControlServerOptions
        {
            Port = settings.Port,
            ListenAddress = settings.ListenAddress,
            ClusterToken = token,
            ReadOnlyToken = readOnlyToken,
            DashboardPort = settings.DashboardPort,
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
