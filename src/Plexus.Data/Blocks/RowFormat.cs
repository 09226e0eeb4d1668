using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using MessagePack;
using MessagePack.Resolvers;

namespace Plexus.Data.Blocks;

/// <summary>How rows of <typeparamref name="T"/> are stored in blocks, decided once per type.</summary>
internal static class RowFormat<T>
{
    /// <summary>Rows without references are stored raw and read in place; others are packed.</summary>
    public static readonly bool IsRaw = !RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    public static readonly int RecordSize = IsRaw ? Unsafe.SizeOf<T>() : 0;

    /// <summary>Tells blocks of different row types apart (and versions of a type that differ in layout).</summary>
    public static readonly ulong SchemaHash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{typeof(T).FullName}/{RecordSize}"));

    public static readonly string TypeName = typeof(T).Name;
}

/// <summary>The MessagePack options for packed rows: public and private members, no attributes needed.</summary>
internal static class PackedRows
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(ContractlessStandardResolverAllowPrivate.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
