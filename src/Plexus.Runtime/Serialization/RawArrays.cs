using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Serialization;

/// <summary>
/// Arrays of unmanaged elements (numbers, plain structs) are stored as their raw bytes: no encoding,
/// one copy in, and readable in place from shared memory.
/// </summary>
internal static class RawArrays
{
    private static readonly ConcurrentDictionary<Type, Func<long, Array>?> Allocators = new();

    private static readonly MethodInfo AllocateMethod =
        typeof(RawArrays).GetMethod(nameof(AllocateUninitialized), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>True when <paramref name="type"/> is a one-dimensional array of an unmanaged type.</summary>
    public static bool IsRaw(Type type) => type.IsSZArray && AllocatorFor(type.GetElementType()!) is not null;

    /// <summary>The element type when <paramref name="type"/> is ReadOnlyMemory&lt;E&gt; or Memory&lt;E&gt; of an unmanaged E.</summary>
    public static Type? MemoryElementType(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition != typeof(ReadOnlyMemory<>) && definition != typeof(Memory<>))
        {
            return null;
        }

        var element = type.GetGenericArguments()[0];
        return AllocatorFor(element) is null ? null : element;
    }

    /// <summary>Copies raw bytes into a new array of <paramref name="elementType"/>.</summary>
    public static unsafe Array Read(Type elementType, byte* source, long byteLength)
    {
        var size = Marshal.SizeOf(elementType);
        if (byteLength % size != 0)
        {
            throw new ValueSerializationException($"The object holds {byteLength} raw bytes, not a whole number of {elementType.Name} elements.");
        }

        var array = AllocatorFor(elementType)!(byteLength / size);
        fixed (byte* destination = &MemoryMarshal.GetArrayDataReference(array))
        {
            Buffer.MemoryCopy(source, destination, byteLength, byteLength);
        }

        return array;
    }

    private static Func<long, Array>? AllocatorFor(Type element) => Allocators.GetOrAdd(element, static e =>
    {
        if (!e.IsValueType || e.IsGenericTypeDefinition || IsReferenceOrContainsReferences(e))
        {
            return null;
        }

        return AllocateMethod.MakeGenericMethod(e).CreateDelegate<Func<long, Array>>();
    });

    private static bool IsReferenceOrContainsReferences(Type type) =>
        (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(type).Invoke(null, null)!;

    // Skips zeroing: every element is overwritten by the copy that follows.
    private static Array AllocateUninitialized<T>(long length) where T : unmanaged =>
        GC.AllocateUninitializedArray<T>(checked((int)length));
}
