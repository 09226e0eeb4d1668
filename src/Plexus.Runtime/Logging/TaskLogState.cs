using System.Collections;
using System.Globalization;
using Plexus.Protocol.Messages;

namespace Plexus.Logging;

/// <summary>
/// A <see cref="TaskLogEntry"/> as the state of an <c>ILogger.Log</c> call: its named values, with
/// where it ran first (<c>task</c>, <c>function</c>, <c>actor</c>, and when written at the driver
/// <c>job</c>, <c>node</c> and <c>pid</c>), so structured log providers (the worker's JSON file, a
/// driver's OpenTelemetry or Serilog) keep them as fields. Its text is the entry's message.
/// </summary>
internal sealed class TaskLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    /// <summary>The state of <paramref name="entry"/> as its worker writes it; its job, node and pid are the file's own fields.</summary>
    public TaskLogState(TaskLogEntry entry)
    {
        Entry = entry;
        Add("task", entry.Task?.ToString());
        Add("function", entry.Function);
        Add("actor", entry.Actor?.ToString());
        foreach (var (name, value) in entry.Values)
        {
            _values.Add(new(name, value));
        }
    }

    /// <summary>The state of <paramref name="entry"/> as a driver writes it: also the job, node and worker it came from.</summary>
    public TaskLogState(TaskLogEntry entry, JobId job, ulong node, int pid)
        : this(entry)
    {
        _values.Insert(0, new("job", job.ToString()));
        _values.Insert(1, new("node", node.ToString("x16", CultureInfo.InvariantCulture)));
        _values.Insert(2, new("pid", pid));
    }

    public TaskLogEntry Entry { get; }

    public int Count => _values.Count;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Entry.Message;

    /// <summary>The message, then the exception's text on the lines after it, when there is one: what a plain-text log shows.</summary>
    public static string Format(TaskLogState state, Exception? exception) =>
        state.Entry.Exception is { } text ? $"{state.Entry.Message}{Environment.NewLine}{text}" : state.Entry.Message;

    private void Add(string name, string? value)
    {
        if (value is not null)
        {
            _values.Add(new(name, value));
        }
    }
}
