using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>One argument of a submitted task: a value already encoded, or a future to resolve first.</summary>
internal readonly struct TaskArgument
{
    private TaskArgument(ObjectValue? value, ObjectId refId, ProcessAddress refOwner)
    {
        Value = value;
        RefId = refId;
        RefOwner = refOwner;
    }

    public ObjectValue? Value { get; }

    public ObjectId RefId { get; }

    public ProcessAddress RefOwner { get; }

    public bool IsRef => Value is null;

    public static TaskArgument OfValue(ObjectValue value) => new(value, default, default);

    public static TaskArgument OfRef(ObjectId id, ProcessAddress owner) => new(null, id, owner);
}
