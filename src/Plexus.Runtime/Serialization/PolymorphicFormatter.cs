using MessagePack;
using MessagePack.Formatters;

namespace Plexus.Serialization;

/// <summary>
/// Writes a value of a polymorphic declared type <typeparamref name="T"/> as
/// [ext(<see cref="RuntimeTypeCodec.ExtensionCode"/>, type name), value written as its own type],
/// and reads it back as that type. A value written without the envelope (its writer declared a
/// concrete type) is read by <paramref name="plain"/>, MessagePack's formatter for T, if T has one.
/// </summary>
internal sealed class PolymorphicFormatter<T>(IMessagePackFormatter<T>? plain) : IMessagePackFormatter<T>
{
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var codec = RuntimeTypeCodec.For(value.GetType());
        writer.WriteArrayHeader(2);
        codec.WriteName(ref writer);
        codec.Serialize(ref writer, value, options);
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default!;
        }

        if (!RuntimeTypeCodec.IsEnvelope(reader))
        {
            return plain is not null ? plain.Deserialize(ref reader, options) : throw new MessagePackSerializationException(
                $"The value was sent without its type, so it cannot be read as {typeof(T).FullName}: declare the same parameter and result types where it is sent and where it is received.");
        }

        options.Security.DepthStep(ref reader);
        try
        {
            reader.ReadArrayHeader();
            var codec = RuntimeTypeCodec.ReadName(ref reader);
            if (!typeof(T).IsAssignableFrom(codec.Type))
            {
                throw new MessagePackSerializationException($"The value is a {codec.Type.FullName}, which is not a {typeof(T).FullName}.");
            }

            return (T)codec.Deserialize(ref reader, options)!;
        }
        finally
        {
            reader.Depth--;
        }
    }
}
