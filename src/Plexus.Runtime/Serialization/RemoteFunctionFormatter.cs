using MessagePack;
using MessagePack.Formatters;
using Plexus.Functions;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// Writes a <see cref="RemoteFunction{TDelegate}"/> as its descriptor, [assembly, type, method,
/// token, type arguments], and reads it back as the delegate of the method that names (resolved once per process,
/// see <see cref="RemoteFunctions.Resolve{TDelegate}"/>). Needs no runtime, so values holding
/// functions can be read anywhere.
/// </summary>
internal sealed class RemoteFunctionFormatter<TDelegate> : IMessagePackFormatter<RemoteFunction<TDelegate>?>
    where TDelegate : Delegate
{
    private const int FieldCount = 5;

    public void Serialize(ref MessagePackWriter writer, RemoteFunction<TDelegate>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var descriptor = RemoteFunctions.DescriptorOf(value);
        writer.WriteArrayHeader(FieldCount);
        writer.Write(descriptor.Assembly);
        writer.Write(descriptor.Type);
        writer.Write(descriptor.Method);
        writer.Write(descriptor.MetadataToken);
        options.Resolver.GetFormatterWithVerify<string[]?>().Serialize(ref writer, descriptor.TypeArguments, options);
    }

    public RemoteFunction<TDelegate>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (reader.ReadArrayHeader() != FieldCount)
        {
            throw new MessagePackSerializationException($"A serialized RemoteFunction must have {FieldCount} fields.");
        }

        var descriptor = new FunctionDescriptor(
            ReadName(ref reader), ReadName(ref reader), ReadName(ref reader), reader.ReadInt32(),
            options.Resolver.GetFormatterWithVerify<string[]?>().Deserialize(ref reader, options));
        return RemoteFunctions.Resolve<TDelegate>(descriptor);
    }

    private static string ReadName(ref MessagePackReader reader) =>
        reader.ReadString() ?? throw new MessagePackSerializationException("A serialized RemoteFunction has no assembly, type or method name.");
}
