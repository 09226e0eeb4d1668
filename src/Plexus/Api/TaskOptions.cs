namespace Plexus;

/// <summary>How a task runs.</summary>
public sealed record TaskOptions
{
    /// <summary>The default options: one CPU, three retries after a worker crash, exceptions not retried, no name.</summary>
    public static TaskOptions Default { get; } = new();

    /// <summary>
    /// CPUs the task holds while it runs (not while it awaits futures). A worker starts a task when
    /// its CPUs fit in the worker's share: fractions share a slot. A task asking for more than a
    /// worker has is infeasible: it stays pending (the node logs a warning) until a node whose
    /// workers can hold it joins. Default: 1.
    /// </summary>
    public double Cpus { get; init; } = 1;

    /// <summary>
    /// How many times the task is re-run when its worker process dies, or when its code throws and
    /// <see cref="RetryExceptions"/> allows it. After the last retry, awaiters get
    /// <see cref="WorkerCrashedException"/> (or the last execution's <see cref="TaskFailedException"/>).
    /// Must not be negative. Default: 3.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>
    /// Whether an exception thrown by the task's code re-runs it (up to <see cref="MaxRetries"/>
    /// times; a task that may run twice must be safe to run twice). Only user exceptions are retried:
    /// a function that cannot be loaded or arguments that cannot be read fail at once. Default: false.
    /// </summary>
    public bool RetryExceptions { get; init; }

    /// <summary>
    /// With <see cref="RetryExceptions"/>, only exceptions of these types (or types derived from
    /// them) re-run the task; others fail it at once. Each must derive from <see cref="Exception"/>,
    /// else giving the options to a task builder throws <see cref="ArgumentException"/>.
    /// Default: null (every user exception).
    /// </summary>
    public IReadOnlyList<Type>? RetryExceptionTypes { get; init; }

    /// <summary>A name for logs and errors. Default: none (the method name is used).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Other resources the task needs, by name, beyond its <see cref="Cpus"/>: <c>"GPU"</c> or a
    /// node's custom ones (<c>plexus start --resources '{"ssd": 1}'</c>). Only a node that offers
    /// at least that much of each runs it, and the task holds them while it runs: a task that finds
    /// them taken goes to a node that has them free, or waits for them. A request no node of the
    /// cluster offers stays pending as infeasible until one joins. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Resources { get; init; }

    /// <summary>Which node runs the task. Default: <see cref="SchedulingStrategy.Default"/>.</summary>
    public SchedulingStrategy Strategy { get; init; } = SchedulingStrategy.Default;
}
