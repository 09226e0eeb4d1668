using Plexus.Data.Worker;

namespace Plexus.Data.Plan;

/// <summary>
/// An all-to-all operation: map tasks cut each upstream block into partitions (several returns),
/// and reduce tasks each read one partition from every map. Each kind says what its maps and
/// reduces do; the executor runs them.
/// </summary>
internal abstract class Exchange
{
    /// <summary>The exchange's name as stages show it ("OrderBy", "GroupBy", "Repartition").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether the exchange must see a sample of the rows before it can partition them (sorts pick
    /// range boundaries). The upstream blocks are then made first and sampled, and the maps read them.
    /// </summary>
    public virtual bool NeedsSample => false;

    /// <summary>The output of a sampling task: the sample in its meta's <see cref="BlockMeta.Extra"/>.</summary>
    public virtual StageOutput SampleOutput(int rows) => throw new NotSupportedException($"{Name} takes no sample.");

    /// <summary>Fixes the partition count (and, from the samples, anything else the maps need).</summary>
    public abstract ExchangeRun Prepare(int partitions, IReadOnlyList<BlockMeta> samples);
}

/// <summary>One run of an exchange: the map side's output, and each reduce's source.</summary>
internal abstract class ExchangeRun
{
    public abstract int Partitions { get; }

    /// <summary>Cuts a map task's rows into <see cref="Partitions"/> blocks.</summary>
    public abstract StageOutput MapOutput { get; }

    /// <summary>What reduce task <paramref name="partition"/> makes of its partition of every map's output, in map order.</summary>
    public abstract StageSource ReduceSource(int partition, ObjectRef<byte[]>[] runs);
}
