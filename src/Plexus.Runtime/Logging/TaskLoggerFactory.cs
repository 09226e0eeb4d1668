using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Plexus.Core;

namespace Plexus.Logging;

/// <summary>
/// The loggers user code gets from <c>PlexusRuntime.LoggerFactory</c> where entries are Plexus's to
/// carry (in a worker; in a driver that gave Plexus no logger factory): each entry at or above
/// the running task's or actor's <see cref="TaskContext.TaskLogLevel"/> (its job's), else
/// <paramref name="minimum"/>, is tagged with the task or actor call running it (from its
/// <see cref="TaskContext"/>: task id, function, actor) and goes to <paramref name="sink"/>, with
/// the job the code acts for (<see cref="TaskContext.ActingJob"/>: for an actor, the actor's own,
/// whoever called it, so its entries go to its own job's driver only; <paramref name="processJob"/>
/// outside a task). Scopes begun on these loggers add their values to the entries logged inside them.
/// </summary>
internal sealed class TaskLoggerFactory(LogLevel minimum, ITaskLogSink sink, JobId processJob, TimeProvider time) : ILoggerFactory
{
    // Kept as fields: the loggers, nested classes, read them.
    private readonly ITaskLogSink _sink = sink;
    private readonly JobId _processJob = processJob;
    private readonly TimeProvider _time = time;
    // The scopes begun on this factory's loggers, per async flow.
    private readonly LoggerExternalScopeProvider _scopes = new();
    // One logger per category, made on first use.
    private readonly ConcurrentDictionary<string, TaskLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>The lowest level logged outside a task or actor; entries below the level in force cost one comparison.</summary>
    public LogLevel Minimum { get; } = minimum;

    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        return _loggers.GetOrAdd(categoryName, static (category, factory) => new TaskLogger(factory, category), this);
    }

    /// <summary>Not supported: where entries go is Plexus's (the worker's log file, the driver's logging).</summary>
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Plexus's task loggers write to the worker's log file and the driver; give the driver's own ILoggerFactory to PlexusRuntime.StartAsync instead.");

    /// <summary>Nothing to release: the sink belongs to the process.</summary>
    public void Dispose()
    {
    }

    private sealed class TaskLogger(TaskLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => factory._scopes.Push(state);

        // Inside a task or actor, the level its job asked for (carried by its spec); elsewhere the factory's.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= (TaskContext.Current?.TaskLogLevel ?? factory.Minimum);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var context = TaskContext.Current;
            var entry = TaskLogEntries.Create(category, logLevel, eventId, state, exception, formatter, context, factory._scopes, factory._time.GetUtcNow().UtcDateTime);
            factory._sink.Write(context?.ActingJob ?? factory._processJob, entry, exception);
        }
    }
}
