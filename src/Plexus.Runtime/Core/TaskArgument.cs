using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// One argument of a submitted task: a value just encoded (placed inline or in the store at
/// submission), a value already placed, or a future to resolve first.
/// </summary>
internal readonly struct TaskArgument
{
    private TaskArgument(EncodedValue? encoded, ObjectValue? value, ObjectId refId, ProcessAddress refOwner, ObjectRef? handle = null)
    {
        Encoded = encoded;
        Value = value;
        RefId = refId;
        RefOwner = refOwner;
        Handle = handle;
    }

    /// <summary>A value encoded but not yet placed.</summary>
    public EncodedValue? Encoded { get; }

    /// <summary>A value placed inline in the task spec.</summary>
    public ObjectValue? Value { get; }

    public ObjectId RefId { get; }

    public ProcessAddress RefOwner { get; }

    /// <summary>The caller's handle, kept reachable until the submission has counted the task's reference.</summary>
    public ObjectRef? Handle { get; }

    public static TaskArgument OfEncoded(EncodedValue encoded) => new(encoded, null, default, default);

    public static TaskArgument OfValue(ObjectValue value) => new(null, value, default, default);

    public static TaskArgument OfRef(ObjectId id, ProcessAddress owner) => new(null, null, id, owner);

    public static TaskArgument OfRef(ObjectRef handle) => new(null, null, handle.Id, handle.Owner, handle);
}
