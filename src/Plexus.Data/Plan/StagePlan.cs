using System.Collections.Immutable;
using Plexus.Data.Operators;
using Plexus.Data.Worker;

namespace Plexus.Data.Plan;

/// <summary>
/// One stage of a lazy plan: where its input blocks come from, and the one-to-one operators fused
/// into its tasks. Immutable: each dataset operation makes a new plan that shares the old one's parts.
/// </summary>
internal sealed record StagePlan
{
    /// <summary>What the stage is called when its options give no name (its source or exchange).</summary>
    public required string Origin { get; init; }

    public required StageInput Input { get; init; }

    /// <summary>Reads one of the stage's input blocks (typed by the input's row type).</summary>
    public required Func<StageSource> BlockSource { get; init; }

    /// <summary>Limits one input block's rows (a <c>Take</c> upstream carried into this stage's tasks).</summary>
    public required Func<long, Operator> LimitInput { get; init; }

    public ImmutableList<Operator> Operators { get; init; } = [];

    public StageOptions Options { get; init; } = StageOptions.Default;

    /// <summary>Whether <see cref="Dataset{T}.WithOptions"/> closed the stage: the next operator starts a new one.</summary>
    public bool Sealed { get; init; }

    /// <summary>Set by <c>Take</c>: the stage's consumer reads no more than this many rows of it, in block order.</summary>
    public long? Limit { get; init; }

    /// <summary>Set for a stateful stage: its tasks are calls to a pool of actors that each hold a batch mapper.</summary>
    public Actors.ActorPoolSpec? Pool { get; init; }

    /// <summary>The blocks the stage's tasks would only copy: stored blocks with no operator, limit or actor after them; null otherwise.</summary>
    public StoredInput? StoredAsIs => Input is StoredInput stored && Operators.IsEmpty && Limit is null && Pool is null ? stored : null;

    public string Name => Options.Name ?? (Operators.IsEmpty ? Origin : $"{Origin}→{string.Join("→", Operators.Select(o => o.Describe()))}");
}
