using System.Diagnostics;
using Plexus.Data.Worker;

namespace Plexus.Data.Execution;

/// <summary>One stage's counters during a run: what progress reports and the summary show.</summary>
internal sealed class StageStats(int index, string name)
{
    private long started;
    private long ended;

    // The rows each finished task made, in the order the run read them: what shows a task much bigger than the others.
    private readonly List<long> taskRows = [];

    public int Index { get; } = index;

    public string Name { get; } = name;

    public long? BlocksTotal { get; set; }

    public long BlocksDone { get; private set; }

    public long Rows { get; private set; }

    public long Bytes { get; private set; }

    public double TaskSeconds { get; private set; }

    public long TasksSubmitted { get; private set; }

    public long TasksCancelled { get; private set; }

    public bool IsDone => ended != 0;

    public int Running => (int)(TasksSubmitted - BlocksDone - TasksCancelled);

    /// <summary>The average output block, once one is known; the estimate the memory budget uses.</summary>
    public long? AverageBlockBytes => BlocksDone == 0 ? null : Bytes / BlocksDone;

    public void Submitted()
    {
        if (started == 0)
        {
            started = Stopwatch.GetTimestamp();
        }

        TasksSubmitted++;
    }

    public void Cancelled() => TasksCancelled++;

    public void Completed(BlockMeta meta)
    {
        BlocksDone++;
        taskRows.Add(meta.TotalRows);
        Rows += meta.TotalRows;
        Bytes += meta.TotalBytes;
        TaskSeconds += meta.Seconds;
    }

    public void Done()
    {
        if (ended == 0)
        {
            ended = Stopwatch.GetTimestamp();
        }
    }

    public TimeSpan Wall => started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, ended == 0 ? Stopwatch.GetTimestamp() : ended);

    public StageProgress ToProgress()
    {
        var seconds = Math.Max(Wall.TotalSeconds, 1e-9);
        return new StageProgress(Index, Name, BlocksDone, BlocksTotal, Rows, Bytes, Rows / seconds, Bytes / seconds, Running, IsDone);
    }

    public StageSummary ToSummary() => new(Name, Wall, TaskSeconds, TasksSubmitted, TasksCancelled, Rows, Bytes) { TaskRows = [.. taskRows] };
}
