using Plexus.Data.Shuffle;

namespace Plexus.Data.Exchanges;

/// <summary>A group-by's aggregator as it travels to map and reduce tasks, which build it where they run.</summary>
internal abstract class AggregatorSpec<T, TAcc, TResult>
{
    public abstract string Name { get; }

    public abstract IAggregator<T, TAcc, TResult> Create();
}

internal sealed class CountSpec<T> : AggregatorSpec<T, long, long>
{
    public override string Name => "Count";

    public override IAggregator<T, long, long> Create() => Aggregators.Count<T>();
}

internal sealed class Int64SumSpec<T> : AggregatorSpec<T, long, long>
{
    public required RemoteFunction<Func<T, long>> Value { get; init; }

    public override string Name => $"Sum({Value.Name})";

    public override IAggregator<T, long, long> Create() => Aggregators.Sum(Value.Function);
}

internal sealed class DoubleSumSpec<T> : AggregatorSpec<T, double, double>
{
    public required RemoteFunction<Func<T, double>> Value { get; init; }

    public override string Name => $"Sum({Value.Name})";

    public override IAggregator<T, double, double> Create() => Aggregators.Sum(Value.Function);
}

internal sealed class MeanSpec<T> : AggregatorSpec<T, MeanAccumulator, double>
{
    public required RemoteFunction<Func<T, double>> Value { get; init; }

    public override string Name => $"Mean({Value.Name})";

    public override IAggregator<T, MeanAccumulator, double> Create() => Aggregators.Mean(Value.Function);
}

internal sealed class ExtremeSpec<T, TValue> : AggregatorSpec<T, ExtremeAccumulator<TValue>, TValue>
{
    public required RemoteFunction<Func<T, TValue>> Value { get; init; }

    public required bool Largest { get; init; }

    public override string Name => $"{(Largest ? "Max" : "Min")}({Value.Name})";

    public override IAggregator<T, ExtremeAccumulator<TValue>, TValue> Create() =>
        Largest ? Aggregators.Max(Value.Function) : Aggregators.Min(Value.Function);
}

/// <summary>A user's aggregator type, built with its parameterless constructor.</summary>
internal sealed class CustomAggregatorSpec<TAggregator, T, TAcc, TResult> : AggregatorSpec<T, TAcc, TResult>
    where TAggregator : IAggregator<T, TAcc, TResult>, new()
{
    public override string Name => typeof(TAggregator).Name;

    public override IAggregator<T, TAcc, TResult> Create() => new TAggregator();
}
