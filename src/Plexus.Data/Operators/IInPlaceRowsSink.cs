namespace Plexus.Data.Operators;

/// <summary>
/// A sink that keeps all of a task's rows until the task ends (a map's row collector) and can
/// keep them where they already are, when they outlive the pipeline: the rows of the task's
/// input block, read in place from the store. A map then reads its block where the store holds
/// it instead of copying it first into an array as large as the block.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IInPlaceRowsSink<T>
{
    /// <summary>
    /// Takes every row of the source at once, instead of a push per batch. The memory must stay
    /// valid until the task's output is complete; the sink copies the rows only when it must
    /// (other rows came first or follow, or it reorders rows).
    /// </summary>
    void KeepInPlace(ReadOnlyMemory<T> rows);
}
