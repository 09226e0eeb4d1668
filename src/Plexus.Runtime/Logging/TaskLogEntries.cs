using System.Globalization;
using Microsoft.Extensions.Logging;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Logging;

/// <summary>
/// Makes a <see cref="TaskLogEntry"/> of a logger call in user code: the formatted message, the
/// named values of its state and scopes as text, and the task (or actor call) running it. Text is
/// cut to bounded lengths, so one entry's size is bounded whatever the code logs, and the
/// forwarder's byte bound means something.
/// </summary>
internal static class TaskLogEntries
{
    /// <summary>The characters of a message or an exception kept; the rest is cut and marked.</summary>
    public const int MaxTextLength = 16 * 1024;

    /// <summary>The characters of a structured value (or its name) kept.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>The structured values kept per entry, state's first, then scopes' from the outermost.</summary>
    public const int MaxValues = 32;

    // What a cut text ends with.
    private const string CutMark = "…(cut)";

    // The name Microsoft.Extensions.Logging gives a state's message template: the message says it already.
    private const string TemplateName = "{OriginalFormat}";

    public static TaskLogEntry Create<TState>(
        string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter,
        TaskContext? context, IExternalScopeProvider? scopes, DateTime time)
    {
        var values = new List<KeyValuePair<string, string>>();
        AddValues(values, state);
        scopes?.ForEachScope(static (scope, values) => AddValues(values, scope), values);
        return new TaskLogEntry
        {
            Time = time,
            Level = (byte)level,
            Category = Cut(category, MaxValueLength),
            Message = Cut(formatter(state, exception) ?? string.Empty, MaxTextLength),
            EventId = eventId.Id,
            Task = context?.Id,
            Function = context?.FunctionName,
            Actor = context?.Actor,
            Values = [.. values],
            Exception = exception is null ? null : Cut(exception.ToString(), MaxTextLength),
        };
    }

    /// <summary>
    /// About how many bytes the entry takes queued and on the wire (its text as UTF-8 of ASCII,
    /// plus fixed fields): what the forwarder's bounds count.
    /// </summary>
    public static int SizeOf(TaskLogEntry entry)
    {
        var size = 64 + entry.Category.Length + entry.Message.Length + (entry.Function?.Length ?? 0) + (entry.Exception?.Length ?? 0);
        foreach (var (name, value) in entry.Values)
        {
            size += 8 + name.Length + value.Length;
        }

        return size;
    }

    // A state's or scope's named values, when it has any (a message template's holes, a dictionary scope).
    private static void AddValues(List<KeyValuePair<string, string>> values, object? state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> named)
        {
            return;
        }

        foreach (var (name, value) in named)
        {
            if (values.Count == MaxValues)
            {
                return;
            }

            if (name != TemplateName)
            {
                values.Add(new(Cut(name, MaxValueLength), Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, MaxValueLength)));
            }
        }
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), CutMark);
}
