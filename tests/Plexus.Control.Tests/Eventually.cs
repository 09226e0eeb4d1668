using System.Diagnostics;

namespace Plexus.Control.Tests;

/// <summary>Waits for a condition with a deadline, polling; never a fixed sleep.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        T last = await probe();
        while (!condition(last))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Timed out after {deadline.TotalSeconds:0.#} s waiting until {what}; last observed: {last}");
            }

            await Task.Delay(PollInterval);
            last = await probe();
        }

        return last;
    }
}
