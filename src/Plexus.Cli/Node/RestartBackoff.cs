namespace Plexus.Cli.Node;

/// <summary>
/// How long the head waits before starting its exited control service again: 0.5 s, doubling
/// with each exit up to 5 s, back to 0.5 s once a service has served <see cref="Stable"/>; or
/// always the fixed delay given (<c>--control-restart-delay-ms</c>, for tests).
/// </summary>
internal sealed class RestartBackoff(TimeSpan? fixedDelay)
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    /// <summary>A service that served this long before it exited was not crash-looping: the back-off starts over.</summary>
    public static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);

    // The delay before the next restart when no fixed delay is given.
    private TimeSpan _next = First;

    /// <summary>The delay before restarting a service that exited after serving for <paramref name="served"/>.</summary>
    public TimeSpan Next(TimeSpan served)
    {
        if (fixedDelay is { } delay)
        {
            return delay;
        }

        if (served >= Stable)
        {
            _next = First;
        }

        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Longest.Ticks));
        return current;
    }
}
