using Microsoft.Extensions.Logging;

namespace Plexus.Cli.Node;

/// <summary>
/// The head's control service, run as a process of its own (<c>plexus control</c>) and kept
/// running by the head: started before the head's node (a first start that fails fails the head
/// with the end of the service's log), restarted after a back-off whenever it exits
/// (<see cref="RestartBackoff"/>), and stopped with the head. Each serving process is recorded in
/// <c>control.json</c>. With file or Redis storage a restarted service recovers the cluster's
/// nodes, jobs and actors; nodes and drivers ride out the gap.
/// </summary>
internal sealed partial class ControlServiceSupervisor : IAsyncDisposable
{
    private readonly ControlServiceSettings _settings;
    private readonly NodeStateFiles _files;
    private readonly string _token;
    private readonly ILogger _logger;
    private readonly RestartBackoff _backoff;
    // Cancelled when the head stops: ends the supervising loop and any restart under way.
    private readonly CancellationTokenSource _stopping = new();

    // The loop that restarts the service; set once, when the first service serves.
    private Task _supervising = Task.CompletedTask;

    // The service process of now; replaced only by the supervising loop, read by DisposeAsync once the loop has ended.
    private ControlServiceProcess _current;

    private ControlServiceSupervisor(ControlServiceSettings settings, NodeStateFiles files, string token, ILogger logger, ControlServiceProcess first)
    {
        _settings = settings;
        _files = files;
        _token = token;
        _logger = logger;
        _backoff = new RestartBackoff(settings.RestartDelay);
        _current = first;
    }

    /// <summary>The control address, <c>host:port</c>.</summary>
    public string Address => _settings.Address;

    /// <summary>Starts the service and returns once it answers; from then on it is restarted whenever it exits.</summary>
    /// <exception cref="ControlServiceStartException">The service exited before it served, or did not answer in time; the message has the end of its log.</exception>
    public static async Task<ControlServiceSupervisor> StartAsync(
        ControlServiceSettings settings, NodeStateFiles files, string token, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        files.RemoveControlRecord();
        var first = ControlServiceProcess.Start(settings, files.TokenPath, files.ControlLogPath);
        try
        {
            await first.WaitUntilServingAsync(settings.Address, token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await first.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var supervisor = new ControlServiceSupervisor(settings, files, token, loggerFactory.CreateLogger<ControlServiceSupervisor>(), first);
        supervisor.Serving(first);
        supervisor._supervising = Task.Run(supervisor.SuperviseAsync, CancellationToken.None);
        return supervisor;
    }

    /// <summary>Stops restarting and stops the service (SIGTERM, then SIGKILL after 5 s); removes <c>control.json</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervising.ConfigureAwait(false);
        await _current.DisposeAsync().ConfigureAwait(false);
        _files.RemoveControlRecord();
        _stopping.Dispose();
    }

    private async Task SuperviseAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                int exitCode = await _current.Exited.WaitAsync(stopping).ConfigureAwait(false);
                var delay = _backoff.Next(_current.Served);
                ServiceExited(_logger, _current.Pid, exitCode, delay.TotalMilliseconds);
                await _current.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(delay, stopping).ConfigureAwait(false);

                _current = ControlServiceProcess.Start(_settings, _files.TokenPath, _files.ControlLogPath);
                try
                {
                    await _current.WaitUntilServingAsync(_settings.Address, _token, stopping).ConfigureAwait(false);
                    Serving(_current);
                }
                catch (ControlServiceStartException e)
                {
                    // Stopped if still running (a service that does not answer); the loop then starts another.
                    RestartFailed(_logger, e.Message);
                    await _current.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The head is stopping: DisposeAsync stops the service of now.
        }
    }

    private void Serving(ControlServiceProcess service)
    {
        _files.WriteControlRecord(new ControlRecord(service.Pid, service.StartTicks, _settings.Port));
        ServiceServing(_logger, service.Pid, Address, _files.ControlLogPath);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Control service (pid {Pid}) serving at {Address}; its log: {Log}")]
    private static partial void ServiceServing(ILogger logger, int pid, string address, string log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control service (pid {Pid}) exited with code {ExitCode}; starting it again in {DelayMs} ms")]
    private static partial void ServiceExited(ILogger logger, int pid, int exitCode, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Control service did not come back: {Problem}")]
    private static partial void RestartFailed(ILogger logger, string problem);
}
