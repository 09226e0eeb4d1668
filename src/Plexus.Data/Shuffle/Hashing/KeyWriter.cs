namespace Plexus.Data.Shuffle;

/// <summary>The canonical-bytes writer of one key type, built once per type and process.</summary>
/// <typeparam name="T">The key type.</typeparam>
internal static class KeyWriter<T>
{
    private static readonly Action<CanonicalWriter, T> Writer = KeyWriterBuilder.Build<T>();

    /// <summary>Appends the canonical bytes of <paramref name="value"/> to <paramref name="writer"/>.</summary>
    public static void WriteTo(CanonicalWriter writer, T value) => Writer(writer, value);
}
