using Microsoft.Extensions.Hosting;

namespace Plexus.Control;

/// <summary>
/// The lifetime of a host Plexus runs inside someone's program (the embedded cluster, the control
/// service): it does nothing. The default (console) lifetime registers handlers for SIGINT,
/// SIGTERM and SIGQUIT that cancel the signal and only stop the host, so a program embedding it
/// would ignore Ctrl+C and <c>docker stop</c>. Signals are the program's; the host is stopped by
/// disposing what started it, and the process ends as it would without Plexus.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
