using Microsoft.Extensions.Logging;

namespace Plexus.Control.Membership;

/// <summary>
/// Declares nodes DEAD when they have not heartbeated for the timeout. A fixed timeout, not a
/// phi-accrual detector: nodes heartbeat at an interval the service dictates, so the expected
/// arrival rate is known and a timeout of several intervals is both simple and predictable.
/// </summary>
internal sealed class FailureDetector : IAsyncDisposable
{
    private readonly MembershipTable _membership;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _sweepPeriod;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Stops the sweep loop on dispose.
    private readonly CancellationTokenSource _stopping = new();

    // The sweep loop; null until Start.
    private Task? _loop;

    public FailureDetector(MembershipTable membership, TimeSpan timeout, TimeProvider time, ILogger<FailureDetector> logger)
    {
        _membership = membership;
        _timeout = timeout;
        _time = time;
        _logger = logger;

        // Sweeping at a quarter of the timeout bounds detection latency at 1.25 x timeout; the cap
        // keeps long timeouts responsive and the floor keeps tiny test timeouts from spinning.
        _sweepPeriod = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
    }

    public void Start() => _loop = RunAsync(_stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_sweepPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    foreach (string key in _membership.FindSilent(_timeout).ToList())
                    {
                        await _membership.MarkDeadIfSilentAsync(key, _timeout, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A store failure must not stop failure detection for good.
                    ControlLog.SweepFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
