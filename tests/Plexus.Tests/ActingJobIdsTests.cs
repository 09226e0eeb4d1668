using Plexus.Core;

namespace Plexus.Tests;

/// <summary>
/// What code makes is of the job it acts for: an actor's call from another job makes ids of the
/// actor's job, apart for each calling job, while code of one job makes its ids as before.
/// </summary>
public sealed class ActingJobIdsTests
{
    private static readonly JobId ActorJob = new(1, 1);

    [Fact]
    public void ACallOfAnotherJobMakesIdsOfTheActorsJob()
    {
        var call = TaskId.Root(new JobId(2, 2)).Child(1);
        var context = new TaskContext(call, onWaitChanged: null) { ActingJob = ActorJob };

        Assert.Equal(ActorJob, context.NextChildTaskId().Job);
        Assert.Equal(ActorJob, context.NextPutId().Task.Job);
    }

    [Fact]
    public void CallsOfTwoJobsWithOnePathMakeDistinctIds()
    {
        // Every job numbers its tasks from its root alike: two jobs' first calls share a path.
        var fromB = new TaskContext(TaskId.Root(new JobId(2, 2)).Child(1), onWaitChanged: null) { ActingJob = ActorJob };
        var fromC = new TaskContext(TaskId.Root(new JobId(3, 3)).Child(1), onWaitChanged: null) { ActingJob = ActorJob };
        // And the actor's own job has a task of that path too.
        var own = new TaskContext(TaskId.Root(ActorJob).Child(1), onWaitChanged: null);

        TaskId[] children = [fromB.NextChildTaskId(), fromC.NextChildTaskId(), own.NextChildTaskId()];
        ObjectId[] puts = [fromB.NextPutId(), fromC.NextPutId(), own.NextPutId()];

        Assert.Equal(3, children.Distinct().Count());
        Assert.Equal(3, puts.Distinct().Count());
    }

    [Fact]
    public void CodeOfItsOwnJobMakesTheIdsItAlwaysMade()
    {
        var task = TaskId.Root(ActorJob).Child(7);
        var context = new TaskContext(task, onWaitChanged: null) { ActingJob = ActorJob };

        Assert.Equal(task.Child(1), context.NextChildTaskId());
        Assert.Equal(ObjectId.ForPut(task, 1), context.NextPutId());
    }
}
