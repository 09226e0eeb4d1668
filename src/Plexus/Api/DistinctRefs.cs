using System.Buffers;
using System.Numerics;

namespace Plexus;

/// <summary>
/// Refuses a list of refs that names one object twice (a wait would count it twice). Waits over
/// many ready refs take microseconds, so this is an open-addressing table of indices into the
/// list, pooled, a few nanoseconds a ref, rather than a hash set of ids.
/// </summary>
internal static class DistinctRefs
{
    public static void ThrowIfRepeated<T>(ReadOnlySpan<T> refs, string paramName) where T : ObjectRef
    {
        var count = refs.Length;
        if (count < 2)
        {
            return;
        }

        var size = (int)BitOperations.RoundUpToPowerOf2((uint)count * 2);
        var mask = (uint)size - 1;
        // Slot values are 1 + an index into refs; 0 is empty.
        var table = ArrayPool<int>.Shared.Rent(size);
        try
        {
            Array.Clear(table, 0, size);
            for (var i = 0; i < count; i++)
            {
                var id = (refs[i] ?? throw new ArgumentNullException(paramName, "A ref in the list is null.")).Id;
                var slot = Hash(id) & mask;
                while (table[slot] != 0)
                {
                    if (refs[table[slot] - 1].Id == id)
                    {
                        throw new ArgumentException($"Object {id} appears more than once in the refs to wait for; pass each ref once.", paramName);
                    }

                    slot = (slot + 1) & mask;
                }

                table[slot] = i + 1;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    // Ids of one job differ in their task path, already a mixed 64-bit value, and index.
    private static uint Hash(ObjectId id) => (uint)(id.Task.Path ^ (id.Task.Path >> 32)) ^ (id.Index * 0x9E3779B9u);
}
