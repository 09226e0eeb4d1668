using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Plexus.Testing;

/// <summary>
/// Waits until a condition holds, with a deadline: what tests do instead of sleeping a fixed time.
/// The condition is polled at once, then after pauses that grow from 1 ms to 100 ms, so a condition
/// that holds soon is seen soon and a long wait does not spin.
/// </summary>
/// <remarks>
/// An exception thrown by a condition or probe ends the wait at once and reaches the caller
/// unchanged: a probe that breaks is a failure to report, not a state to wait out.
/// </remarks>
public static class Eventually
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The deadline when a call gives none: 30 s. Generous on purpose: a condition that holds returns
    /// as soon as it is seen, and a loaded two-core machine can take seconds to start processes.
    /// </summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Completes once <paramref name="condition"/> returns true.</summary>
    /// <param name="condition">Polled until it returns true.</param>
    /// <param name="what">What is awaited, for the timeout's message; by default the condition's source text.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The condition was still false when the deadline passed; the message says what was awaited and for how long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static Task TrueAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "", TimeSpan? timeout = null) =>
        PollAsync(() => new ValueTask<bool>(condition()), static holds => holds, what, timeout, reportLast: false);

    /// <summary>Completes once a task that <paramref name="condition"/> returns gives true.</summary>
    /// <param name="condition">Called and awaited until it gives true.</param>
    /// <param name="what">What is awaited, for the timeout's message; by default the condition's source text.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The condition was still false when the deadline passed; the message says what was awaited and for how long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static Task TrueAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string what = "", TimeSpan? timeout = null) =>
        PollAsync(() => new ValueTask<bool>(condition()), static holds => holds, what, timeout, reportLast: false);

    /// <summary>Returns the first value of <paramref name="probe"/> that <paramref name="accept"/> accepts.</summary>
    /// <param name="probe">Reads the state awaited.</param>
    /// <param name="accept">True for the state awaited.</param>
    /// <param name="what">What is awaited, for the timeout's message; by default the source text of <paramref name="accept"/>.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">No value was accepted by the deadline; the message says what was awaited, for how long, and the last value read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static Task<T> ValueAsync<T>(Func<T> probe, Func<T, bool> accept, [CallerArgumentExpression(nameof(accept))] string what = "", TimeSpan? timeout = null) =>
        PollAsync(() => new ValueTask<T>(probe()), accept, what, timeout, reportLast: true);

    /// <summary>Returns the first value the task of <paramref name="probe"/> gives that <paramref name="accept"/> accepts.</summary>
    /// <param name="probe">Reads the state awaited.</param>
    /// <param name="accept">True for the state awaited.</param>
    /// <param name="what">What is awaited, for the timeout's message; by default the source text of <paramref name="accept"/>.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">No value was accepted by the deadline; the message says what was awaited, for how long, and the last value read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, [CallerArgumentExpression(nameof(accept))] string what = "", TimeSpan? timeout = null) =>
        PollAsync(() => new ValueTask<T>(probe()), accept, what, timeout, reportLast: true);

    private static async Task<T> PollAsync<T>(Func<ValueTask<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout, bool reportLast)
    {
        var deadline = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero, nameof(timeout));
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            // The deadline is read before the probe, so the last value read is never older than the deadline.
            bool expired = clock.Elapsed >= deadline;
            var last = await probe();
            if (accept(last))
            {
                return last;
            }

            if (expired)
            {
                throw new TimeoutException(TimeoutMessage(what, deadline, reportLast ? $" The last value read was: {last?.ToString() ?? "null"}." : ""));
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private static string TimeoutMessage(string what, TimeSpan deadline, string lastValue) =>
        $"Timed out after {deadline.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s waiting until {what}.{lastValue} " +
        "If it should have happened by then, that is the failure; if the machine is only slow, give this wait a longer timeout.";
}
