using Plexus.Data.Worker;

namespace Plexus.Data.Plan;

/// <summary>
/// A source stage's tasks, listed when its run starts: how many, and the source of each, taken in
/// order just before its task is submitted, so that one may wait for work before it (a CSV split, for
/// the quote parity of the splits before it). Disposed when the stage stops submitting, early or not.
/// </summary>
internal abstract class SourceList : IAsyncDisposable
{
    /// <summary>The number of tasks.</summary>
    public abstract int Count { get; }

    /// <summary>Sources already made, one per task.</summary>
    public static SourceList Of(IReadOnlyList<StageSource> sources) => new Listed(sources);

    /// <summary>The source of task <paramref name="index"/>; asked for in order, each once.</summary>
    public abstract ValueTask<StageSource> TakeAsync(int index, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Listed(IReadOnlyList<StageSource> sources) : SourceList
    {
        public override int Count => sources.Count;

        public override ValueTask<StageSource> TakeAsync(int index, CancellationToken cancellationToken) => ValueTask.FromResult(sources[index]);
    }
}
