using Microsoft.Extensions.Time.Testing;

namespace Plexus.Node.Tests;

/// <summary>
/// Moves a node's fake clock on until something happens. The clock goes a step at a time,
/// so a timer the node sets late (after the test's last step) still fires on a later one; the
/// test then needs no real waiting for the node's timeouts.
/// </summary>
internal static class FakeClock
{
    public static Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done, string what) =>
        Eventually.TrueAsync(() =>
        {
            if (done())
            {
                return true;
            }

            time.Advance(step);
            return false;
        }, what);
}
