using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>Reads an object's value wherever it is: inline, or in the store under a pin.</summary>
internal static class ValueReader
{
    /// <summary>
    /// Decodes <paramref name="value"/>. A stored value whose node is gone is read where its owner,
    /// <paramref name="owner"/>, says it is now, after making it again (<see cref="CoreRuntime.PinCurrentAsync"/>).
    /// </summary>
    public static async ValueTask<object?> ReadAsync(Type type, ObjectValue value, CoreRuntime runtime, ProcessAddress owner)
    {
        var pinned = false;
        if (value.Location == ValueLocation.Stored)
        {
            (value, pinned) = await runtime.PinCurrentAsync(value, owner).ConfigureAwait(false);
        }

        switch (value.Location)
        {
            case ValueLocation.Failed:
                throw Errors.ToException(value.Error!);
            case ValueLocation.Inline:
                return ValueCodec.Decode(type, value, runtime);
            default:
                try
                {
                    return ValueCodec.Decode(type, value, runtime);
                }
                finally
                {
                    if (pinned)
                    {
                        runtime.Store.Unpin(value);
                    }
                }
        }
    }
}
