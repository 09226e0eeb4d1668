using Plexus.Data.Worker;

namespace Plexus.Data.Plan;

/// <summary>
/// An all-to-all operation: map tasks cut each upstream block into partitions (several returns),
/// and reduce tasks each read one partition from every map, in map order. Each kind says what its
/// maps and reduces do; the executor runs them.
/// </summary>
internal abstract class Exchange
{
    /// <summary>The exchange's name as stages show it ("OrderBy", "GroupBy", "Repartition").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether the maps need to know about every upstream block before they start (sorts sample
    /// keys; an ordered repartition needs each block's row count). The upstream blocks are then made
    /// first, and the maps read them.
    /// </summary>
    public virtual bool MaterializesInput => false;

    /// <summary>The partition count the operation fixes (<c>Repartition(n)</c>); null lets the executor choose.</summary>
    public virtual int? Partitions => null;

    /// <summary>The output of a sampling task, its sample in the meta's <see cref="BlockMeta.Extra"/>; null when the exchange samples nothing.</summary>
    public virtual StageOutput? SampleOutput(int rows) => null;

    /// <summary>Fixes the run's partitions, from the samples and the upstream blocks' row counts when the input was materialized.</summary>
    public abstract ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples, IReadOnlyList<long> blockRows);
}

/// <summary>One run of an exchange: the map side's output, and each reduce's source.</summary>
internal abstract class ExchangeRun
{
    public abstract int Partitions { get; }

    /// <summary>Cuts a map task's rows into <see cref="Partitions"/> blocks.</summary>
    public abstract StageOutput MapOutput { get; }

    /// <summary>What a push-based merge makes of a group of maps' runs of one partition; null when runs are not merged before the reduces.</summary>
    public virtual StageOutput? MergeOutput => null;

    /// <summary>Merges runs of <paramref name="partition"/> into one run of the same kind (used when <see cref="MergeOutput"/> is set).</summary>
    public virtual StageSource MergeSource(int partition, ObjectRef<byte[]>[] runs) => throw new NotSupportedException("This exchange merges no runs.");

    /// <summary>What reduce task <paramref name="partition"/> makes of its partition of every map's output, in map order.</summary>
    public abstract StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs);
}
