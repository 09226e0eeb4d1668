using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>Reads an object's value wherever it is: inline, or in the store under a pin.</summary>
internal static class ValueReader
{
    public static async ValueTask<object?> ReadAsync(Type type, ObjectValue value, CoreRuntime runtime, ProcessAddress owner)
    {
        var store = runtime.Store;
        switch (value.Location)
        {
            case ValueLocation.Failed:
                throw Errors.ToException(value.Error!);
            case ValueLocation.Inline:
                return ValueCodec.Decode(type, value, runtime);
            default:
                var pinned = await store.PinAsync(value).ConfigureAwait(false) ?? throw runtime.GoneFromStore(value.Id, owner);
                try
                {
                    return ValueCodec.Decode(type, pinned, runtime);
                }
                finally
                {
                    store.Unpin(pinned);
                }
        }
    }
}
