using MessagePack;
using MessagePack.Resolvers;
using Plexus.Core;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// Encodes user values. Arrays of unmanaged elements are stored raw; everything else goes through
/// MessagePack's contractless resolver, so classes, records and collections need no attributes.
/// Futures nested inside values travel as references (<see cref="ObjectRefResolver"/>); values
/// declared as object, abstract classes or interfaces travel with their type
/// (<see cref="PolymorphicResolver"/>). Functions inside values travel as their names
/// (<see cref="RemoteFunctionResolver"/>).
/// </summary>
internal static class ValueCodec
{
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(ObjectRefResolver.Instance, RemoteFunctionResolver.Instance, PolymorphicResolver.Instance, ContractlessStandardResolverAllowPrivate.Instance));

    /// <summary>
    /// Encodes a value of declared type <paramref name="type"/>; throws
    /// <see cref="ValueSerializationException"/> naming the type and member that cannot be serialized.
    /// </summary>
    public static EncodedValue Encode(object? value, Type type)
    {
        // Raw only when declared as that very array type: whoever reads it as object or
        // IReadOnlyList<T> needs it written with its type.
        if (value is Array array && array.GetType() == type && RawArrays.IsRaw(type))
        {
            return EncodedValue.FromRawArray(array);
        }

        SerializabilityCheck.ThrowIfUnserializable(type);
        if (value is not null && value.GetType() != type)
        {
            SerializabilityCheck.ThrowIfUnserializable(value.GetType());
        }

        EncodedRefs.Begin();
        byte[]? bytes = null;
        (ObjectRef[]? Refs, NestedRef[]? Nested) refs;
        try
        {
            bytes = MessagePackSerializer.Serialize(type, value, Options);
        }
        catch (MessagePackSerializationException e) when (Innermost(e) is ValueSerializationException nested)
        {
            // A value under a polymorphic type was refused by its own type's check.
            throw new ValueSerializationException($"A value of type {type.FullName} holds one that cannot be sent: {nested.Message}", e);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ValueSerializationException($"A value of type {type.FullName} could not be serialized: {Innermost(e).Message}", e);
        }
        finally
        {
            // Always ended, whatever a user's getter throws: collection must not leak into the next value.
            refs = EncodedRefs.End();
        }

        return EncodedValue.FromMessagePack(bytes, refs.Refs, refs.Nested);
    }

    /// <summary>
    /// Decodes a ready value (inline, or stored and pinned by the caller) as <paramref name="type"/>;
    /// futures inside it are bound to <paramref name="runtime"/>, and those its writer gave
    /// (<see cref="ObjectValue.Nested"/>) are read as handed over (<see cref="DecodingSource"/>).
    /// Only for values the running code may read: an object it was allowed to read, an argument
    /// or a result delivered to it.
    /// </summary>
    public static object? Decode(Type type, ObjectValue value, CoreRuntime runtime)
    {
        using (DecodingSource.Enter(value.Nested))
        {
            return Decode(type, value, runtime.Store.Arena, runtime.ValueOptions);
        }
    }

    /// <summary>Decodes with <paramref name="options"/>: <see cref="Options"/> for values that hold no future.</summary>
    public static unsafe object? Decode(Type type, ObjectValue value, SharedMemoryArena arena, MessagePackSerializerOptions options)
    {
        if (value.Format == ValueFormat.RawArray)
        {
            var element = type.IsSZArray ? type.GetElementType()! : RawArrays.MemoryElementType(type);
            if (element is null || (type.IsSZArray && !RawArrays.IsRaw(type)))
            {
                throw new ValueSerializationException($"Object {value.Id} holds a raw array, which cannot be read as {type.FullName}.");
            }

            Array array;
            if (value.Location == ValueLocation.Inline)
            {
                fixed (byte* source = value.Inline)
                {
                    array = RawArrays.Read(element, source, value.Size);
                }
            }
            else
            {
                array = RawArrays.Read(element, arena.BasePointer + value.Offset, value.Size);
            }

            return type.IsSZArray ? array : MemoryOver(type, array);
        }

        var bytes = value.Location == ValueLocation.Inline
            ? value.Inline.AsMemory()
            : arena.GetMemory<byte>(value.Offset, checked((int)value.Size));
        try
        {
            return MessagePackSerializer.Deserialize(type, bytes, options);
        }
        catch (MessagePackSerializationException e) when (Innermost(e) is FunctionUnavailableException unavailable)
        {
            // A function in the value that this build cannot call: the reader's error, as task functions raise it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unavailable).Throw();
            throw;
        }
        catch (MessagePackSerializationException e)
        {
            throw new ValueSerializationException($"Object {value.Id} could not be read as {type.FullName}: {Innermost(e).Message}", e);
        }
    }

    private static object MemoryOver(Type memoryType, Array array) => Activator.CreateInstance(memoryType, array)!;

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
