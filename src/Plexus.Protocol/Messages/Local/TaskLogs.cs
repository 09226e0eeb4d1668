using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// Log entries that code in tasks and actors of job <see cref="Job"/> wrote through its Plexus
/// logger on one worker, in order: the worker sends them to its node, which passes them to the
/// job's driver (on any node), where they are written through the driver's own logging. Batched
/// (many entries, one message) and bounded at the worker: entries it could not keep are counted in
/// <see cref="Dropped"/>, never queued without limit.
/// </summary>
[MemoryPackable]
internal sealed partial class TaskLogs : Message
{
    /// <summary>The job whose tasks (or actor calls) logged the entries: its driver is shown them.</summary>
    public required JobId Job { get; init; }

    /// <summary>The operating-system process id of the worker.</summary>
    public required int Pid { get; init; }

    public required TaskLogEntry[] Entries { get; init; }

    /// <summary>Entries of this job the worker dropped since its last batch, because they came faster than they could be sent.</summary>
    public long Dropped { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Entries, "TaskLogs.Entries");
        foreach (var entry in Entries)
        {
            ProtocolViolationException.ThrowIfNull(entry, "TaskLogs.Entries[]");
            entry.Validate();
        }

        if (Dropped < 0)
        {
            throw new ProtocolViolationException($"TaskLogs.Dropped is {Dropped}; it counts entries, so it cannot be negative");
        }
    }
}

/// <summary>
/// One entry of a <see cref="TaskLogs"/>: what a logger call in user code said, and where it ran.
/// </summary>
[MemoryPackable]
internal sealed partial class TaskLogEntry
{
    /// <summary>The highest <see cref="Level"/>: <c>LogLevel.Critical</c>.</summary>
    public const byte MaxLevel = 5;

    /// <summary>When it was logged, UTC.</summary>
    public required DateTime Time { get; init; }

    /// <summary>Its <c>Microsoft.Extensions.Logging.LogLevel</c>, Trace (0) to Critical (5).</summary>
    public required byte Level { get; init; }

    public required string Category { get; init; }

    /// <summary>The formatted message.</summary>
    public required string Message { get; init; }

    public int EventId { get; init; }

    /// <summary>The task, or the actor call, whose code logged it; null outside one (a background thread of user code).</summary>
    public TaskId? Task { get; init; }

    /// <summary>The function (or actor method) that ran, as the task's display name; null outside a task.</summary>
    public string? Function { get; init; }

    /// <summary>The actor whose constructor or method logged it; null for a task.</summary>
    public TaskId? Actor { get; init; }

    /// <summary>The entry's structured values (its message template's holes and its scopes'), by name.</summary>
    public required KeyValuePair<string, string>[] Values { get; init; }

    /// <summary>The exception logged with it, as text; null when none.</summary>
    public string? Exception { get; init; }

    /// <summary>Throws <see cref="ProtocolViolationException"/> for a missing field or a level out of range.</summary>
    public void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Category, "TaskLogEntry.Category");
        ProtocolViolationException.ThrowIfNull(Message, "TaskLogEntry.Message");
        ProtocolViolationException.ThrowIfNull(Values, "TaskLogEntry.Values");
        if (Level > MaxLevel)
        {
            throw new ProtocolViolationException($"TaskLogEntry.Level is {Level}; a log level is 0 (Trace) to {MaxLevel} (Critical)");
        }

        foreach (var (name, value) in Values)
        {
            ProtocolViolationException.ThrowIfNull(name, "TaskLogEntry.Values[].Key");
            ProtocolViolationException.ThrowIfNull(value, "TaskLogEntry.Values[].Value");
        }
    }
}
