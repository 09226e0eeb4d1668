using Microsoft.Extensions.Hosting;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The host lifetime of the control service: it does nothing. The default (console) lifetime
/// registers handlers for SIGINT, SIGTERM and SIGQUIT that cancel the signal and only stop the
/// host, so a program embedding the service would ignore Ctrl+C and <c>docker stop</c>. A library
/// has no business deciding how its host process reacts to signals: the service is stopped by
/// disposing it, and the process ends as it would without the service.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
