using System.Collections.Concurrent;
using System.Text;
using MessagePack;

namespace Plexus.Serialization;

/// <summary>
/// Writes and reads values of one runtime type for <see cref="PolymorphicFormatter{T}"/>, and the
/// type's name: its full name and assembly's simple name, which every process of a job resolves to
/// the same type (they run the same build). Codecs are cached by type and by name.
/// </summary>
/// <remarks>
/// Reading a name loads and builds any type it names that fits the declared type. Values only come
/// from processes of the same cluster, which proved the cluster token; nothing else reaches a codec.
/// </remarks>
internal abstract class RuntimeTypeCodec
{
    /// <summary>The MessagePack extension type of the name; MessagePack itself uses 98–100 and negative codes.</summary>
    public const sbyte ExtensionCode = 80;

    private static readonly ConcurrentDictionary<Type, RuntimeTypeCodec> ByType = new();
    private static readonly ConcurrentDictionary<string, RuntimeTypeCodec> ByName = new(StringComparer.Ordinal);

    // The type's name, UTF-8, as written after the extension header.
    private readonly byte[] _name;

    private RuntimeTypeCodec(Type type)
    {
        Type = type;
        _name = Encoding.UTF8.GetBytes(type.Assembly == typeof(object).Assembly ? type.FullName! : $"{type.FullName}, {type.Assembly.GetName().Name}");
    }

    public Type Type { get; }

    /// <summary>
    /// The codec of <paramref name="type"/>; throws <see cref="ValueSerializationException"/> when
    /// values of that type cannot travel, so a value nested under a polymorphic type is refused
    /// when it is sent, not when it is read.
    /// </summary>
    public static RuntimeTypeCodec For(Type type) => ByType.TryGetValue(type, out var codec) ? codec : ByType.GetOrAdd(type, Create);

    /// <summary>True when the reader is at a value written by <see cref="PolymorphicFormatter{T}"/>.</summary>
    public static bool IsEnvelope(MessagePackReader reader) =>
        reader.NextMessagePackType == MessagePackType.Array && reader.ReadArrayHeader() == 2
        && reader.NextMessagePackType == MessagePackType.Extension && reader.ReadExtensionFormatHeader().TypeCode == ExtensionCode;

    public static RuntimeTypeCodec ReadName(ref MessagePackReader reader)
    {
        var header = reader.ReadExtensionFormatHeader();
        var name = Encoding.UTF8.GetString(reader.ReadRaw(header.Length));
        return ByName.TryGetValue(name, out var codec) ? codec : ByName.GetOrAdd(name, static n => For(Resolve(n)));
    }

    public void WriteName(ref MessagePackWriter writer)
    {
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionCode, (uint)_name.Length));
        writer.WriteRaw(_name);
    }

    public abstract void Serialize(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);

    public abstract object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options);

    private static RuntimeTypeCodec Create(Type type)
    {
        SerializabilityCheck.ThrowIfUnserializable(type);
        return type == typeof(object) ? new BareObject() : (RuntimeTypeCodec)Activator.CreateInstance(typeof(Of<>).MakeGenericType(type))!;
    }

    private static Type Resolve(string name) => Type.GetType(name, throwOnError: false)
        ?? throw new MessagePackSerializationException(
            $"The value is a {name}, a type this process cannot load: every assembly whose types travel must be deployed with the application.");

    private sealed class Of<TValue> : RuntimeTypeCodec
    {
        public Of()
            : base(typeof(TValue))
        {
        }

        public override void Serialize(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) =>
            options.Resolver.GetFormatterWithVerify<TValue>().Serialize(ref writer, (TValue)value, options);

        public override object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            options.Resolver.GetFormatterWithVerify<TValue>().Deserialize(ref reader, options);
    }

    // A plain `new object()` has nothing to write; its formatter would be the polymorphic one again.
    private sealed class BareObject() : RuntimeTypeCodec(typeof(object))
    {
        public override void Serialize(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) => writer.WriteNil();

        public override object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            reader.Skip();
            return new object();
        }
    }
}
