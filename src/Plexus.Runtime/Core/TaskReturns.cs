namespace Plexus.Core;

/// <summary>
/// What a submitted task returns: one object holding its result, or its array result split into
/// <paramref name="Count"/> objects. The two differ even for one object: <c>Returns(1)</c> splits a
/// one-element array, where a plain task stores the whole array.
/// </summary>
internal readonly record struct TaskReturns(int Count, bool SplitsResult)
{
    public static TaskReturns One { get; } = new(1, SplitsResult: false);

    public static TaskReturns Split(int count) => new(count, SplitsResult: true);
}
