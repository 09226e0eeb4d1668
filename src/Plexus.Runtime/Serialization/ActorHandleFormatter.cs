using MessagePack;
using MessagePack.Formatters;
using Plexus.Core;
using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;

namespace Plexus.Serialization;

/// <summary>
/// Writes an actor handle as [job high, job low, path, owner node, owner process, name, namespace,
/// detached, class, anchor], followed by [tag high, tag low] when the running code may call the
/// actor (<c>CoreRuntime.TagToWrite</c>), whatever job the value goes to, since the value may be
/// handed on from there: enough to call the actor from wherever the handle lands. The anchor
/// travels as a nested ref, so the receiver becomes a borrower of it and keeps the actor alive.
/// </summary>
internal sealed class ActorHandleFormatter<T> : IMessagePackFormatter<ActorHandle<T>?> where T : class
{
    public void Serialize(ref MessagePackWriter writer, ActorHandle<T>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var actor = (BoundActor)value.Binding;
        var spec = actor.Spec;
        var tag = actor.Runtime.TagToWrite(spec.Id, actor.Capability);
        writer.WriteArrayHeader(tag.IsPresent ? TaggedFields : Fields);
        writer.Write(spec.Id.Job.High);
        writer.Write(spec.Id.Job.Low);
        writer.Write(spec.Id.Path);
        writer.Write(spec.Owner.Node);
        writer.Write(spec.Owner.Process);
        writer.Write(spec.Name);
        writer.Write(spec.Namespace);
        writer.Write(spec.Detached);
        writer.Write(spec.Constructor.Type);
        options.Resolver.GetFormatterWithVerify<ObjectRef<bool>?>().Serialize(ref writer, actor.Anchor, options);
        if (tag.IsPresent)
        {
            writer.Write(tag.High);
            writer.Write(tag.Low);
        }
    }

    public ActorHandle<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var fields = reader.ReadArrayHeader();
        if (fields is not (Fields or TaggedFields))
        {
            throw new MessagePackSerializationException($"A serialized ActorHandle must have {Fields} or {TaggedFields} fields.");
        }

        var id = new TaskId(new JobId(reader.ReadUInt64(), reader.ReadUInt64()), reader.ReadUInt64());
        var owner = new ProcessAddress(reader.ReadUInt64(), reader.ReadInt32());
        var name = reader.ReadString();
        var @namespace = reader.ReadString() ?? string.Empty;
        var detached = reader.ReadBoolean();
        var type = reader.ReadString() ?? typeof(T).FullName!;
        var anchor = options.Resolver.GetFormatterWithVerify<ObjectRef<bool>?>().Deserialize(ref reader, options);
        // Kept unchecked: the node checks it on each call.
        var capability = fields == TaggedFields ? new CapabilityTag(reader.ReadUInt64(), reader.ReadUInt64()) : default;
        var spec = new ActorSpec
        {
            Id = id,
            Owner = owner,
            // Only the class name travels: the constructor has run already.
            Constructor = new FunctionDescriptor(string.Empty, type, ".ctor", 0),
            Args = [],
            Name = name,
            Namespace = @namespace,
            Detached = detached,
        };
        return new ActorHandle<T>(new BoundActor(spec, RuntimeBoundOptions.RuntimeOf(options), anchor, capability));
    }

    private const int Fields = 10;
    private const int TaggedFields = 12;
}
