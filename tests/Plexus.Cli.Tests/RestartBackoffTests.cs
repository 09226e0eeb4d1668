using Plexus.Cli.Node;

namespace Plexus.Cli.Tests;

/// <summary>How long the head waits before starting its exited control service again.</summary>
public sealed class RestartBackoffTests
{
    [Fact]
    public void DelayDoublesFromHalfASecondUpToFiveSecondsWhileTheServiceKeepsExiting()
    {
        var backoff = new RestartBackoff(fixedDelay: null);

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next(served: TimeSpan.FromSeconds(1)).TotalMilliseconds).ToList();

        Assert.Equal([500, 1000, 2000, 4000, 5000, 5000], delays);
    }

    [Fact]
    public void DelayStartsOverAfterAServiceThatServedLong()
    {
        var backoff = new RestartBackoff(fixedDelay: null);
        backoff.Next(TimeSpan.Zero);
        backoff.Next(TimeSpan.Zero);

        Assert.Equal(RestartBackoff.First, backoff.Next(RestartBackoff.Stable));
    }

    [Fact]
    public void AFixedDelayIsAlwaysTheDelay()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(3));

        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal(TimeSpan.FromSeconds(3), backoff.Next(TimeSpan.Zero)));
    }
}
