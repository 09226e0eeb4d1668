using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// One argument of a submitted task: a value just encoded (placed inline or in the store at
/// submission), a value already placed, or a future to resolve first.
/// </summary>
internal readonly struct TaskArgument
{
    private TaskArgument(EncodedValue? encoded, ObjectValue? value, ObjectId refId, ProcessAddress refOwner, bool transient)
    {
        Encoded = encoded;
        Value = value;
        RefId = refId;
        RefOwner = refOwner;
        IsTransient = transient;
    }

    /// <summary>A value encoded but not yet placed.</summary>
    public EncodedValue? Encoded { get; }

    /// <summary>A value placed inline in the task spec.</summary>
    public ObjectValue? Value { get; }

    public ObjectId RefId { get; }

    public ProcessAddress RefOwner { get; }

    /// <summary>A value too large to inline, put in the store for this task alone: freed when the task finishes.</summary>
    public bool IsTransient { get; }

    public static TaskArgument OfEncoded(EncodedValue encoded) => new(encoded, null, default, default, transient: false);

    public static TaskArgument OfValue(ObjectValue value) => new(null, value, default, default, transient: false);

    public static TaskArgument OfRef(ObjectId id, ProcessAddress owner) => new(null, null, id, owner, transient: false);

    public static TaskArgument OfTransientPut(ObjectId id, ProcessAddress owner) => new(null, null, id, owner, transient: true);
}
