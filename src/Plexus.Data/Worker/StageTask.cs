using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>
/// Everything one block task does, sent as its argument: where its rows come from, the fused
/// one-to-one steps, and what it makes of them. Its parts are closed generic classes that the
/// value codec sends with their type names, so one non-generic entry point runs every stage.
/// </summary>
internal sealed class StageTask
{
    /// <summary>The stage's name and the block's index, for task names, progress and errors.</summary>
    public required string Stage { get; init; }

    public required int Block { get; init; }

    public required StageSource Source { get; init; }

    public required Operator[] Operators { get; init; }

    public required StageOutput Output { get; init; }

    public override string ToString() => $"{Stage} #{Block}";
}
