using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Plexus.Tests;

/// <summary>Keeps the warnings (and worse) a cluster logs, so tests can check what was reported.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<string> Warnings { get; } = new();

    public bool HasWarning(params string[] parts) => Warnings.Any(w => parts.All(part => w.Contains(part, StringComparison.Ordinal)));

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Records only.");

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
