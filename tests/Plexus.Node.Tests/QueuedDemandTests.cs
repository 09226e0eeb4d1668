using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

public sealed class QueuedDemandTests
{
    [Fact]
    public void SumsWhatQueuedTasksAskAndAnEmptyQueueAsksNothing()
    {
        var demand = new QueuedDemand();
        TaskSpec[] tasks = [Asking(0.1, 0.3), Asking(0.2, 0.1), Asking(0.7, 0.6)];

        foreach (var task in tasks)
        {
            demand.Add(task);
        }

        Assert.Equal(1.0, demand.Cpus, precision: 9);
        Assert.Equal(1.0, demand.Of("ssd"), precision: 9);
        Assert.Equal(0, demand.Of("gpu-x"));

        demand.Remove(tasks[1]);
        Assert.Equal(0.8, demand.Cpus, precision: 9);
        Assert.Equal(0.9, demand.Of("ssd"), precision: 9);

        demand.Remove(tasks[2]);
        demand.Remove(tasks[0]);
        Assert.Equal(0, demand.Cpus);
        Assert.Equal(0, demand.Of("ssd"));
    }

    private static TaskSpec Asking(double cpus, double ssd) =>
        StoreHarness.Task() with { Cpus = cpus, Resources = new Dictionary<string, double> { ["ssd"] = ssd } };
}
