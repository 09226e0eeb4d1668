using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Plexus.Serialization;

/// <summary>
/// Gives declared types that do not say what they hold (<see cref="object"/>, abstract classes,
/// interfaces that are not collections) a <see cref="PolymorphicFormatter{T}"/>, which writes each
/// value's own type with it: a <c>Circle</c> sent as a <c>Shape</c> or an <c>object</c> arrives
/// as a <c>Circle</c>, at the top level or nested in arrays, collections and members. Every other
/// type gets null here and keeps its usual formatter, so concrete types pay nothing.
/// </summary>
internal sealed class PolymorphicResolver : IFormatterResolver
{
    public static PolymorphicResolver Instance { get; } = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            var type = typeof(T);
            if (type != typeof(object) && !type.IsInterface && !type.IsAbstract)
            {
                return null;
            }

            var standard = ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>();
            if (type == typeof(object))
            {
                // MessagePack's own object formatter still reads values written without a type.
                return new PolymorphicFormatter<T>(standard);
            }

            // Collection interfaces (IList<T>, IDictionary<TKey, TValue>, ...) and [Union] types
            // have formatters of their own; other abstract types have none.
            return standard is null ? new PolymorphicFormatter<T>(null) : null;
        }
    }
}
