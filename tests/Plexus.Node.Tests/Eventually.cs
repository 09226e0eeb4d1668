using System.Diagnostics;

namespace Plexus.Node.Tests;

/// <summary>Waits for a condition with a deadline, polling; never a fixed sleep.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"Timed out after {Deadline.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(PollInterval);
        }
    }
}
