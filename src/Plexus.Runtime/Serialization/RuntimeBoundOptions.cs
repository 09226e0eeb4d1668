using MessagePack;
using Plexus.Core;

namespace Plexus.Serialization;

/// <summary>
/// The value codec's options bound to the runtime that decodes with them: a future or actor handle
/// read from a value belongs to that runtime (it counts the handle and fetches the value), so
/// several runtimes can live in one process, each decoding its own values.
/// </summary>
internal sealed class RuntimeBoundOptions : MessagePackSerializerOptions
{
    public RuntimeBoundOptions(MessagePackSerializerOptions copyFrom, CoreRuntime runtime)
        : base(copyFrom) => Runtime = runtime;

    public CoreRuntime Runtime { get; }

    /// <summary>The runtime decoding with <paramref name="options"/>; values with futures can only be read by one.</summary>
    public static CoreRuntime RuntimeOf(MessagePackSerializerOptions options) =>
        (options as RuntimeBoundOptions)?.Runtime
        ?? throw new MessagePackSerializationException("A future or actor handle can only be read by a Plexus runtime's value codec.");

    protected override MessagePackSerializerOptions Clone() => new RuntimeBoundOptions(this, Runtime);
}
