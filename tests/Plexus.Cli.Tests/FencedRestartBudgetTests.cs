using Microsoft.Extensions.Time.Testing;
using Plexus.Cli.Node;

namespace Plexus.Cli.Tests;

public sealed class FencedRestartBudgetTests
{
    [Fact]
    public void FiveRestartsInFiveMinutesAreGrantedAndTheSixthIsRefused()
    {
        var time = new FakeTimeProvider();
        var budget = FencedRestartBudget.Default(time);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(budget.TryRestart(), $"restart {i + 1} of 5");
            time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.False(budget.TryRestart());
    }

    [Fact]
    public void ARestartIsGrantedAgainOnceTheOldestLeavesTheWindow()
    {
        var time = new FakeTimeProvider();
        var budget = FencedRestartBudget.Default(time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(budget.TryRestart());
        }

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(budget.TryRestart());
    }
}
