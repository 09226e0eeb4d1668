using Plexus.Data.Execution;
using Plexus.Data.Worker;

namespace Plexus.Data.Plan;

/// <summary>Where a stage's input blocks come from.</summary>
internal abstract record StageInput;

/// <summary>Blocks the stage's own tasks read or make (ranges, generators, file splits), listed when the run starts.</summary>
internal sealed record SourceInput(Func<RunContext, CancellationToken, ValueTask<SourceList>> Splits) : StageInput;

/// <summary>Blocks already in the object store: the driver's puts, or a materialized dataset's blocks.</summary>
/// <param name="Blocks">The blocks, in order.</param>
/// <param name="Bytes">Their total size, known without running anything (what lets a join broadcast them).</param>
internal sealed record StoredInput(IReadOnlyList<ObjectRef<byte[]>> Blocks, long Bytes) : StageInput;

/// <summary>The blocks of an upstream stage with other options, one of its blocks per task.</summary>
internal sealed record UpstreamInput(StagePlan Upstream, Func<StageOutput> UpstreamOutput) : StageInput;

/// <summary>The partitions of an all-to-all exchange over an upstream stage's rows.</summary>
/// <param name="Upstream">The stage whose rows are exchanged.</param>
/// <param name="UpstreamOutput">Its rows as plain blocks (made first when the exchange samples them).</param>
/// <param name="UpstreamRows">Reads one such block.</param>
/// <param name="Exchange">What the maps and reduces do.</param>
internal sealed record ExchangeInput(StagePlan Upstream, Func<StageOutput> UpstreamOutput, Func<StageSource> UpstreamRows, Exchange Exchange) : StageInput;

/// <summary>A join's partitions: both sides hash-partitioned by their keys, partition r of each joined by reduce r.</summary>
internal sealed record JoinInput(StagePlan Left, StagePlan Right, Exchanges.JoinExchange Join) : StageInput;

/// <summary>
/// A broadcast join: the right side's blocks made once (or taken as stored), then the left stage's
/// own tasks run with a probe of them fused after its operators, so the left side is never shuffled.
/// </summary>
/// <param name="Left">The left side's stage, unsealed (its tasks take the probe and the operators after it).</param>
/// <param name="Right">The right side's stage.</param>
/// <param name="RightOutput">The right side's rows as plain blocks.</param>
/// <param name="Join">The join's functions.</param>
internal sealed record BroadcastInput(StagePlan Left, StagePlan Right, Func<StageOutput> RightOutput, Exchanges.JoinExchange Join) : StageInput;

/// <summary>The blocks of several stages of the same row type, one after the other: <c>Union</c>.</summary>
/// <param name="Parts">The stages, in order.</param>
/// <param name="PartOutput">Their rows as plain blocks.</param>
internal sealed record UnionInput(IReadOnlyList<StagePlan> Parts, Func<StageOutput> PartOutput) : StageInput;
