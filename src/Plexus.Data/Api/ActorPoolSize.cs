namespace Plexus.Data;

/// <summary>
/// How many actors a stateful stage runs on: a fixed number (an <see cref="int"/> converts), or
/// between <see cref="Min"/> and <see cref="Max"/>, adding one while every actor is busy and blocks
/// wait, and stopping those idle for a while above the minimum.
/// </summary>
public readonly record struct ActorPoolSize
{
    private ActorPoolSize(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        Min = min;
        Max = max;
    }

    /// <summary>The actors the stage starts with and keeps at least.</summary>
    public int Min { get; }

    /// <summary>The actors it may grow to.</summary>
    public int Max { get; }

    /// <summary>A pool of exactly <paramref name="actors"/> actors.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actors"/> is less than 1.</exception>
    public static implicit operator ActorPoolSize(int actors) => new(actors, actors);

    /// <summary>A pool of <paramref name="actors"/> actors (for languages without implicit conversions).</summary>
    public static ActorPoolSize Fixed(int actors) => new(actors, actors);

    /// <summary>A pool that grows from <paramref name="min"/> to <paramref name="max"/> actors under load.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> is less than 1, or <paramref name="max"/> less than it.</exception>
    public static ActorPoolSize Autoscale(int min, int max) => new(min, max);

    /// <inheritdoc/>
    public override string ToString() => Min == Max ? $"{Min} actors" : $"{Min}–{Max} actors";
}
