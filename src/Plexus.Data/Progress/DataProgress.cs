namespace Plexus.Data;

/// <summary>Where a run stands: one entry per stage, reported every <see cref="DataOptions.ProgressInterval"/> and at the end.</summary>
/// <param name="Stages">The stages, sources first.</param>
/// <param name="Elapsed">Time since the run began.</param>
/// <param name="Summary">Set on the last report of a run, which <see cref="IsFinal"/> marks.</param>
public sealed record DataProgress(IReadOnlyList<StageProgress> Stages, TimeSpan Elapsed, RunSummary? Summary)
{
    /// <summary>Whether this is the run's last report (it then carries the <see cref="Summary"/>).</summary>
    public bool IsFinal => Summary is not null;
}

/// <summary>One stage's progress.</summary>
/// <param name="Index">The stage's position, from 0 at the source.</param>
/// <param name="Name">The stage's name (its operations, or <see cref="StageOptions.Name"/>).</param>
/// <param name="BlocksDone">Blocks finished.</param>
/// <param name="BlocksTotal">Blocks the stage will make, when known.</param>
/// <param name="Rows">Rows the finished blocks hold.</param>
/// <param name="Bytes">Bytes the finished blocks hold.</param>
/// <param name="RowsPerSecond">Rows per second since the stage began.</param>
/// <param name="BytesPerSecond">Bytes per second since the stage began.</param>
/// <param name="TasksRunning">Tasks submitted and not finished.</param>
/// <param name="IsDone">Whether the stage has finished.</param>
public sealed record StageProgress(
    int Index, string Name, long BlocksDone, long? BlocksTotal, long Rows, long Bytes,
    double RowsPerSecond, double BytesPerSecond, int TasksRunning, bool IsDone)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"stage {Index} {Name}: {BlocksDone}{(BlocksTotal is { } total ? $"/{total}" : "")} blocks, {Rows:N0} rows, " +
        $"{Bytes / 1e6:F1} MB, {BytesPerSecond / 1e6:F1} MB/s{(IsDone ? ", done" : "")}";
}
