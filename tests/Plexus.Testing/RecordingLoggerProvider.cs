using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Plexus.Testing;

/// <summary>One log line as a logger factory's provider received it.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string EventName, string Message)
{
    /// <summary>The state's named values, as text (a message template's holes, and what a structured state adds).</summary>
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Keeps every line the loggers it creates are given, in order, for tests to read.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Name ?? string.Empty, formatter(state, exception))
            {
                Values = state is IEnumerable<KeyValuePair<string, object?>> named
                    ? named.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => Convert.ToString(g.Last().Value, System.Globalization.CultureInfo.InvariantCulture))
                    : new Dictionary<string, string?>(),
            });
    }
}
