using Microsoft.Extensions.Hosting;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Starts the <see cref="ControlService"/> with its host and stops it after. The lifecycle hooks
/// order it around the web server, whatever order the services were registered in: the tables
/// are loaded in <see cref="StartingAsync"/>, before any hosted service (Kestrel included) starts
/// taking calls, and failure detection stops in <see cref="StoppedAsync"/>, once no call is left.
/// </summary>
internal sealed class ControlServiceLifetime(ControlService service) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => service.StartAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => service.DisposeAsync().AsTask();
}
