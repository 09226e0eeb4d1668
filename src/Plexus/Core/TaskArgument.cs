using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>One argument of a submitted task: a value already encoded, or a future to resolve first.</summary>
internal readonly struct TaskArgument
{
    private TaskArgument(ObjectValue? value, ObjectId refId, ProcessAddress refOwner, bool transient)
    {
        Value = value;
        RefId = refId;
        RefOwner = refOwner;
        IsTransient = transient;
    }

    public ObjectValue? Value { get; }

    public ObjectId RefId { get; }

    public ProcessAddress RefOwner { get; }

    public bool IsRef => Value is null;

    /// <summary>A value too large to inline, put in the store for this task alone: freed when the task finishes.</summary>
    public bool IsTransient { get; }

    public static TaskArgument OfValue(ObjectValue value) => new(value, default, default, transient: false);

    public static TaskArgument OfRef(ObjectId id, ProcessAddress owner) => new(null, id, owner, transient: false);

    public static TaskArgument OfTransientPut(ObjectId id, ProcessAddress owner) => new(null, id, owner, transient: true);
}
