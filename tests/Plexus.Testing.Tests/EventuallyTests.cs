namespace Plexus.Testing.Tests;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task ReturnsOnceASynchronousConditionHolds()
    {
        int polls = 0;
        await Eventually.TrueAsync(() => ++polls == 3, "the third poll");
        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task ReturnsOnceAnAsynchronousConditionHolds()
    {
        int polls = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                await Task.Yield();
                return ++polls == 3;
            },
            "the third poll");
        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task TimeoutSaysWhatWasAwaitedAndForHowLong()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(() => false, "the moon turns green", Short));
        Assert.Contains("the moon turns green", error.Message);
        Assert.Contains("0.2 s", error.Message);
    }

    [Fact]
    public async Task AsynchronousConditionTimeoutSaysWhatWasAwaitedAndForHowLong()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(() => Task.FromResult(false), "the moon turns green", Short));
        Assert.Contains("the moon turns green", error.Message);
        Assert.Contains("0.2 s", error.Message);
    }

    [Fact]
    public async Task TimeoutWithoutADescriptionQuotesTheCondition()
    {
        int observed = 0;
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(() => observed > 1, timeout: Short));
        Assert.Contains("observed > 1", error.Message);
    }

    [Fact]
    public async Task ValueAsyncReturnsTheFirstValueThatMeetsTheCondition()
    {
        int polls = 0;
        Assert.Equal(4, await Eventually.ValueAsync(() => ++polls, n => n >= 4, "the fourth poll"));
    }

    [Fact]
    public async Task AsynchronousValueAsyncReturnsTheFirstValueThatMeetsTheCondition()
    {
        int polls = 0;
        Assert.Equal(4, await Eventually.ValueAsync(() => Task.FromResult(++polls), n => n >= 4, "the fourth poll"));
    }

    [Fact]
    public async Task ValueAsyncTimeoutReportsTheLastObservedValue()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Eventually.ValueAsync(() => "still queued", state => state == "running", "the task runs", Short));
        Assert.Contains("the task runs", error.Message);
        Assert.Contains("still queued", error.Message);
    }

    [Fact]
    public async Task AConditionThatThrowsFailsAtOnceWithItsOwnException()
    {
        static bool Broken() => throw new InvalidOperationException("the probe is broken");

        // A deadline far beyond the test's run: only a failure that does not wait for it ends the test.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.TrueAsync(Broken, "never", TimeSpan.FromHours(1)));
        Assert.Equal("the probe is broken", error.Message);
    }

    [Fact]
    public void DefaultTimeoutLeavesRoomForALoadedTwoCoreMachine()
    {
        Assert.True(Eventually.DefaultTimeout >= TimeSpan.FromSeconds(30), $"default timeout {Eventually.DefaultTimeout}");
    }
}
