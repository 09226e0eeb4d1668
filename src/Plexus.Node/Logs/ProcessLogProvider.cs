using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// Writes a process's <see cref="ILogger"/> output to its own <see cref="RollingLogFile"/> under
/// the node's log directory (<c>&lt;temp-dir&gt;/logs</c>), named by role and pid
/// (<c>node-1234.log</c>, <c>worker-5678.log</c>, <c>control-91.log</c>): one JSON object per line
/// with <c>time</c> (UTC), <c>level</c>, <c>category</c>, <c>message</c>, the event's named values
/// and its scopes' (a <c>TaskId</c>, a <c>JobId</c>), the <c>fixed</c> fields given (a worker's
/// job), and <c>exception</c>. <c>plexus logs --node</c> reads these files through the node.
/// </summary>
/// <remarks>
/// Written here rather than with Serilog's file sink: workers run with the user program's
/// dependencies (its .deps.json), so whatever a worker logs through would become a dependency of
/// every program using Plexus; this needs a hundred lines and Microsoft.Extensions.Logging only.
/// </remarks>
internal sealed class ProcessLogProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly RollingLogFile _file;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _fixed;
    private readonly LogLevel _minimum;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ProcessLogProvider(RollingLogFile file, LogLevel minimum = LogLevel.Information, IReadOnlyList<KeyValuePair<string, string>>? fixedFields = null)
    {
        _file = file;
        _minimum = minimum;
        _fixed = fixedFields ?? [];
    }

    /// <summary>The file name (without <c>.log</c>) of a process of <paramref name="role"/> (<c>node</c>, <c>worker</c>, <c>control</c>).</summary>
    public static string FileNameOf(string role, int pid) => $"{role}-{pid}";

    /// <summary>A provider writing to <c>ROLE-PID.log</c> in <paramref name="directory"/>, rotated at the defaults, from <paramref name="minimum"/> up.</summary>
    public static ProcessLogProvider ForProcess(
        string directory, string role, IReadOnlyList<KeyValuePair<string, string>>? fixedFields = null, LogLevel minimum = LogLevel.Information) =>
        new(new RollingLogFile(directory, FileNameOf(role, Environment.ProcessId)), minimum, fixedFields);

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Writes one line whatever the provider's minimum, which filters only what its loggers are given: for
    /// entries already filtered by a rule of their own (a worker's task log entries, made at their job's level).
    /// </summary>
    public void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            json.WriteString("message", formatter(state, exception));
            if (eventId.Id != 0)
            {
                json.WriteNumber("eventId", eventId.Id);
            }

            foreach (var (name, value) in _fixed)
            {
                json.WriteString(name, value);
            }

            WriteValues(json, state);
            _scopes.ForEachScope(static (scope, json) => WriteValues(json, scope), json);
            if (exception is not null)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        try
        {
            _file.WriteLine(buffer.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk loses the line: no log line is worth failing the code that logged it.
        }
    }

    // A structured state's or scope's named values (the message template's holes); its template is left out, the message says it.
    private static void WriteValues(Utf8JsonWriter json, object? state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> values)
        {
            return;
        }

        foreach (var (name, value) in values)
        {
            if (name != "{OriginalFormat}")
            {
                json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private sealed class FileLogger(ProcessLogProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
