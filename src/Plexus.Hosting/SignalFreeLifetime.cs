using Microsoft.Extensions.Hosting;

namespace Plexus.Hosting;

/// <summary>
/// The lifetime of a host Plexus runs inside a user's program: it does nothing. The default
/// (console) lifetime registers handlers for SIGINT, SIGTERM and SIGQUIT that cancel the signal
/// and only stop the host, so the program would ignore Ctrl+C and <c>docker stop</c>. Signals are
/// the program's; the host is stopped by disposing the runtime.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
