namespace Plexus.Data;

/// <summary>
/// How the tasks of one stage run: set with <see cref="Dataset{T}.WithOptions"/>, it applies to the
/// operations written before it back to the previous <c>WithOptions</c> or all-to-all operation.
/// Operations with different options run in different tasks.
/// </summary>
public sealed record StageOptions
{
    /// <summary>CPUs each task reserves. Default: 1.</summary>
    public double Cpus { get; init; } = 1;

    /// <summary>Other resources each task needs (<c>"GPU"</c>, custom ones). Default: none.</summary>
    public IReadOnlyDictionary<string, double>? Resources { get; init; }

    /// <summary>Times a task is run again after its worker died. Default: 3.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Whether a task that threw is run again too (up to <see cref="MaxRetries"/>). Default: false.</summary>
    public bool RetryExceptions { get; init; }

    /// <summary>The stage's name in progress, summaries and errors. Default: its operations (<c>"Map→Filter"</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Where the tasks may run. Default: <see cref="SchedulingStrategy.Default"/>.</summary>
    public SchedulingStrategy? Strategy { get; init; }

    /// <summary>The options every stage gets unless told otherwise.</summary>
    public static StageOptions Default { get; } = new();
}
