using MessagePack;
using MessagePack.Formatters;

namespace Plexus.Serialization;

/// <summary>Serializes <see cref="ObjectRef{T}"/> and <see cref="ActorHandle{T}"/> nested in values as references, never as values.</summary>
internal sealed class ObjectRefResolver : IFormatterResolver
{
    public static ObjectRefResolver Instance { get; } = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            var type = typeof(T);
            if (!type.IsGenericType)
            {
                return null;
            }

            var definition = type.GetGenericTypeDefinition();
            var formatter = definition == typeof(ObjectRef<>) ? typeof(ObjectRefFormatter<>)
                : definition == typeof(ActorHandle<>) ? typeof(ActorHandleFormatter<>)
                : null;
            return formatter is null ? null : (IMessagePackFormatter<T>)Activator.CreateInstance(formatter.MakeGenericType(type.GetGenericArguments()))!;
        }
    }
}

/// <summary>
/// Writes a future as [job high, job low, task path, index, owner node, owner process]. Reading
/// binds it to this process's runtime, so it can be awaited wherever it lands.
/// </summary>
internal sealed class ObjectRefFormatter<T> : IMessagePackFormatter<ObjectRef<T>?>
{
    public void Serialize(ref MessagePackWriter writer, ObjectRef<T>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        EncodedRefs.Record(value);
        writer.WriteArrayHeader(6);
        writer.Write(value.Id.Task.Job.High);
        writer.Write(value.Id.Task.Job.Low);
        writer.Write(value.Id.Task.Path);
        writer.Write(value.Id.Index);
        writer.Write(value.Owner.Node);
        writer.Write(value.Owner.Process);
    }

    public ObjectRef<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (reader.ReadArrayHeader() != 6)
        {
            throw new MessagePackSerializationException("A serialized ObjectRef must have 6 fields.");
        }

        var job = new JobId(reader.ReadUInt64(), reader.ReadUInt64());
        var id = new ObjectId(new TaskId(job, reader.ReadUInt64()), reader.ReadUInt32());
        var owner = new ProcessAddress(reader.ReadUInt64(), reader.ReadInt32());
        return ObjectRef<T>.Received(id, owner, RuntimeBoundOptions.RuntimeOf(options));
    }
}
