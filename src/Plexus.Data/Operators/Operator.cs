namespace Plexus.Data.Operators;

/// <summary>
/// A one-to-one step of a stage (map, filter, flat-map, batch map, limit), run on the worker inside
/// the task that reads the block: fused steps cost one interface call per batch, not one task each.
/// Operators travel to workers as values, with their closed generic type names.
/// </summary>
internal abstract class Operator
{
    /// <summary>How the step reads in progress and errors ("Map", "Filter", a user's stage name).</summary>
    public abstract string Describe();

    /// <summary>
    /// Fetches what the step reads besides its rows (a broadcast join's table) before it is bound, as
    /// binding cannot wait: returns the operator to bind, this one unless it needs such a thing.
    /// </summary>
    public virtual ValueTask<Operator> PrepareAsync(PipelineContext context) => ValueTask.FromResult(this);

    /// <summary>Returns the sink that takes this step's input and pushes its output to <paramref name="next"/>.</summary>
    public abstract object Bind(object next, PipelineContext context);
}

/// <summary>An operator from rows of <typeparamref name="TIn"/> to rows of <typeparamref name="TOut"/>.</summary>
internal abstract class Operator<TIn, TOut> : Operator
{
    public sealed override object Bind(object next, PipelineContext context) => Bind((IBatchSink<TOut>)next, context);

    protected abstract ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context);
}

/// <summary>
/// A step's sink: takes a batch, pushes what it makes to <see cref="Next"/> before returning, and
/// forwards <see cref="Flush"/> so steps that hold rows back (batch maps) hand them on at the end.
/// </summary>
internal abstract class ChainSink<TIn, TOut>(IBatchSink<TOut> next) : IBatchSink<TIn>, IFlushable
{
    private TOut[] buffer = [];

    protected IBatchSink<TOut> Next { get; } = next;

    public abstract void Push(ReadOnlySpan<TIn> rows);

    public virtual void Flush() => (Next as IFlushable)?.Flush();

    /// <summary>A reusable output buffer of at least <paramref name="rows"/> rows.</summary>
    protected TOut[] Buffer(int rows)
    {
        if (buffer.Length < rows)
        {
            buffer = new TOut[Math.Max(rows, 256)];
        }

        return buffer;
    }
}

/// <summary>A sink that may hold rows back until the end of its input.</summary>
internal interface IFlushable
{
    void Flush();
}
