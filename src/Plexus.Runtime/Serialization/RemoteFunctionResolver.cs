using MessagePack;
using MessagePack.Formatters;

namespace Plexus.Serialization;

/// <summary>Gives <see cref="RemoteFunction{TDelegate}"/> its <see cref="RemoteFunctionFormatter{TDelegate}"/>: a function travels as its name, never as a delegate.</summary>
internal sealed class RemoteFunctionResolver : IFormatterResolver
{
    public static RemoteFunctionResolver Instance { get; } = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(RemoteFunction<>)
            ? (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(RemoteFunctionFormatter<>).MakeGenericType(typeof(T).GetGenericArguments()))!
            : null;
    }
}
