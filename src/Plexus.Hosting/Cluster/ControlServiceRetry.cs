using System.Diagnostics;
using Plexus.Control;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// Calls the control service again while it is unavailable, for the calls that must not fail just
/// because the service restarts (its head starts it again within seconds, and with file or Redis
/// storage it recovers what it knew): named actors' registrations and lookups, a job's finish.
/// Heartbeats ride out a restart on their own. A rejected token is not retried.
/// </summary>
internal static class ControlServiceRetry
{
    /// <summary>How long a call waits for the service to come back before it fails: 60 s.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Pauses between attempts grow from the first to the longest: a service back soon is seen
    // soon, and a long outage costs a call a second.
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <summary>Makes <paramref name="call"/> until it succeeds, fails otherwise, or <see cref="Patience"/> has passed.</summary>
    /// <param name="call">The call, given <paramref name="cancellationToken"/>.</param>
    /// <param name="unavailable">Told of each failure that will be retried (to log the first, say).</param>
    /// <param name="cancellationToken">Ends the waiting with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ControlServiceUnavailableException">The service was still unavailable after <see cref="Patience"/>.</exception>
    public static async Task<T> CallAsync<T>(
        Func<CancellationToken, Task<T>> call, Action<ControlServiceUnavailableException, int>? unavailable, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ControlServiceUnavailableException e) when (e is not ClusterTokenRejectedException && Stopwatch.GetElapsedTime(started) < Patience)
            {
                unavailable?.Invoke(e, attempt);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    /// <inheritdoc cref="CallAsync{T}(Func{CancellationToken, Task{T}}, Action{ControlServiceUnavailableException, int}?, CancellationToken)"/>
    public static Task CallAsync(
        Func<CancellationToken, Task> call, Action<ControlServiceUnavailableException, int>? unavailable, CancellationToken cancellationToken) =>
        CallAsync(
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            unavailable,
            cancellationToken);
}
