using Plexus.Control.State;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests.State;

/// <summary>The task table's counts by function and status, and the names they are kept under.</summary>
public sealed class TaskCountsTests
{
    [Fact]
    public void ANameGetsOneNumberAndAnUnknownNameNone()
    {
        var names = new TaskNames();
        var f = names.Add("f");
        Assert.Equal(f, names.Add(new string("f".ToCharArray())));
        Assert.NotEqual(f, names.Add("g"));
        Assert.Equal("f", names[f]);
        Assert.Equal(TaskNames.None, names.Add(string.Empty));
        Assert.Null(names.Find("never"));
    }

    [Fact]
    public void CountsMoveBetweenStatusesAndAFunctionWithNoneLeftIsNotSummarized()
    {
        var names = new TaskNames();
        var (f, g) = (names.Add("f"), names.Add("g"));
        var counts = new TaskCounts();
        counts.Add(g, Proto.TaskStatus.Submitted, 1);
        counts.Add(f, Proto.TaskStatus.Submitted, 2);
        counts.Move(f, Proto.TaskStatus.Submitted, Proto.TaskStatus.Running);

        var summary = counts.Summary(names).ToList();
        Assert.Equal(["f", "g"], summary.Select(s => s.Name));
        Assert.Equal(new Dictionary<string, long> { ["SUBMITTED"] = 1, ["RUNNING"] = 1 }, summary[0].Counts);

        Assert.Equal(3, counts.Count(name: null, status: null));
        Assert.Equal(2, counts.Count(name: null, Proto.TaskStatus.Submitted));
        Assert.Equal(1, counts.Count(f, Proto.TaskStatus.Submitted));
        Assert.Equal(2, counts.Count(f, status: null));
        Assert.Equal(0, counts.Count(-1, status: null));

        counts.Add(g, Proto.TaskStatus.Submitted, -1);
        Assert.Equal(["f"], counts.Summary(names).Select(s => s.Name));
        counts.Add(f, Proto.TaskStatus.Submitted, -1);
        counts.Add(f, Proto.TaskStatus.Running, -1);
        Assert.True(counts.IsEmpty);
    }
}
