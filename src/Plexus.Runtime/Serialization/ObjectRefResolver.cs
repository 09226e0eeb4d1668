using MessagePack;
using MessagePack.Formatters;
using Plexus.Core;
using Plexus.Protocol.Security;

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
/// Writes a future as [job high, job low, task path, index, owner node, owner process], followed
/// by [tag high, tag low] when it goes to another job than the object's (see
/// <c>CoreRuntime.TagToWrite</c>), and notes whether the writer gives it (may read it). Reading
/// binds it to this process's runtime, so it can be awaited wherever it lands, and admits it when
/// its tag is valid (<c>CoreRuntime.Admit</c>) or the value's writer gave it (<c>CoreRuntime.AdmitGiven</c>).
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

        var runtime = (CoreRuntime)value.Runtime;
        EncodedRefs.Record(value, runtime.MayRead(value));
        var tag = runtime.TagToWrite(value);
        writer.WriteArrayHeader(tag.IsPresent ? TaggedFields : Fields);
        writer.Write(value.Id.Task.Job.High);
        writer.Write(value.Id.Task.Job.Low);
        writer.Write(value.Id.Task.Path);
        writer.Write(value.Id.Index);
        writer.Write(value.Owner.Node);
        writer.Write(value.Owner.Process);
        if (tag.IsPresent)
        {
            writer.Write(tag.High);
            writer.Write(tag.Low);
        }
    }

    public ObjectRef<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var fields = reader.ReadArrayHeader();
        if (fields is not (Fields or TaggedFields))
        {
            throw new MessagePackSerializationException($"A serialized ObjectRef must have {Fields} or {TaggedFields} fields.");
        }

        var job = new JobId(reader.ReadUInt64(), reader.ReadUInt64());
        var id = new ObjectId(new TaskId(job, reader.ReadUInt64()), reader.ReadUInt32());
        var owner = new ProcessAddress(reader.ReadUInt64(), reader.ReadInt32());
        var runtime = RuntimeBoundOptions.RuntimeOf(options);
        var received = ObjectRef<T>.Received(id, owner, runtime);
        if (fields == TaggedFields)
        {
            // Checked here, not only by the node: this process may hold the value already, and
            // serves it to the code holding this handle only if the tag is the object's.
            runtime.Admit(received, new CapabilityTag(reader.ReadUInt64(), reader.ReadUInt64()));
        }
        else
        {
            // Written for the object's own job (a value of job A holding A's refs): read as handed
            // over when the value was handed to the job reading it and its writer gave the ref.
            runtime.AdmitGiven(received);
        }

        return received;
    }

    private const int Fields = 6;
    private const int TaggedFields = 8;
}
