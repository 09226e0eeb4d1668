using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// The refs that the value the runtime decodes now on this thread was given with: those its
/// writer could read (<see cref="NestedRef.Given"/>), which the reader reads as handed over (see
/// <c>CoreRuntime.AdmitGiven</c>). Set by the runtime around its own decoding only, so a ref that
/// user code reads from bytes of its own making, with or without the runtime, gains nothing: the
/// ids a value is given with are listed by the runtime that wrote it, never read from its bytes.
/// </summary>
internal static class DecodingSource
{
    // The refs of the value being decoded, as its writer listed them; null outside the runtime's decoding.
    [ThreadStatic]
    private static NestedRef[]? _nested;

    // The given ids among _nested, once there are too many to scan.
    [ThreadStatic]
    private static HashSet<ObjectId>? _given;

    private const int ScanLimit = 16;

    /// <summary>Decodes a value listing <paramref name="nested"/> until the scope is disposed (scopes nest).</summary>
    public static Scope Enter(NestedRef[]? nested)
    {
        var scope = new Scope(_nested, _given);
        _nested = nested;
        _given = null;
        return scope;
    }

    /// <summary>True when the value being decoded was given object <paramref name="id"/> by its writer.</summary>
    public static bool Gives(ObjectId id)
    {
        var nested = _nested;
        if (nested is null)
        {
            return false;
        }

        if (nested.Length <= ScanLimit)
        {
            foreach (var reference in nested)
            {
                if (reference.Id == id)
                {
                    return reference.Given;
                }
            }

            return false;
        }

        // A value of many refs (a dataset's blocks) is looked up by hash, not by scan.
        _given ??= [.. nested.Where(r => r.Given).Select(r => r.Id)];
        return _given.Contains(id);
    }

    /// <summary>Restores the value that was being decoded before.</summary>
    public readonly struct Scope(NestedRef[]? nested, HashSet<ObjectId>? given) : IDisposable
    {
        public void Dispose()
        {
            _nested = nested;
            _given = given;
        }
    }
}
