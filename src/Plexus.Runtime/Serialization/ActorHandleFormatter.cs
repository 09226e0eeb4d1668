using MessagePack;
using MessagePack.Formatters;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// Writes an actor handle as [job high, job low, path, owner node, owner process, name, namespace,
/// detached, class, anchor]: enough to call the actor from wherever the handle lands. The anchor
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
        writer.WriteArrayHeader(10);
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
    }

    public ActorHandle<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (reader.ReadArrayHeader() != 10)
        {
            throw new MessagePackSerializationException("A serialized ActorHandle must have 10 fields.");
        }

        var id = new TaskId(new JobId(reader.ReadUInt64(), reader.ReadUInt64()), reader.ReadUInt64());
        var owner = new ProcessAddress(reader.ReadUInt64(), reader.ReadInt32());
        var name = reader.ReadString();
        var @namespace = reader.ReadString() ?? "default";
        var detached = reader.ReadBoolean();
        var type = reader.ReadString() ?? typeof(T).FullName!;
        var anchor = options.Resolver.GetFormatterWithVerify<ObjectRef<bool>?>().Deserialize(ref reader, options);
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
        return new ActorHandle<T>(new BoundActor(spec, RuntimeBoundOptions.RuntimeOf(options), anchor));
    }
}
