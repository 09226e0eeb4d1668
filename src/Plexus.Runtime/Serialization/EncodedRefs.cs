using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// Collects the futures a value contains while it is serialized (once each), and whether the code
/// writing it may read each (<see cref="NestedRef.Given"/>). The encoded value keeps the
/// <see cref="ObjectRef"/> instances, so they stay reachable (and their objects referenced) until
/// whoever stores or sends the value has counted them.
/// </summary>
internal static class EncodedRefs
{
    [ThreadStatic]
    private static List<ObjectRef>? _collecting;

    // Whether the writer may read the ref at the same index of _collecting (any of its instances, when one appears twice).
    [ThreadStatic]
    private static List<bool>? _given;

    [ThreadStatic]
    private static int _depth;

    // The index in _collecting of each id, once there are too many to scan.
    [ThreadStatic]
    private static Dictionary<ObjectId, int>? _seen;

    private const int ScanLimit = 16;

    public static void Begin()
    {
        if (_depth++ == 0)
        {
            _collecting = null;
            _given = null;
            _seen = null;
        }
    }

    /// <summary>Ends collection and returns the refs seen and the protocol's names for them, or nulls when there were none.</summary>
    public static (ObjectRef[]? Refs, NestedRef[]? Nested) End()
    {
        if (--_depth > 0)
        {
            return (null, null);
        }

        var collected = _collecting;
        var given = _given;
        _collecting = null;
        _given = null;
        _seen = null;
        if (collected is null)
        {
            return (null, null);
        }

        var nested = new NestedRef[collected.Count];
        for (var i = 0; i < nested.Length; i++)
        {
            nested[i] = new NestedRef(collected[i].Id, collected[i].Owner, given![i]);
        }

        return (collected.ToArray(), nested);
    }

    /// <summary>Notes <paramref name="reference"/>, which the code writing the value may read when <paramref name="given"/>.</summary>
    public static void Record(ObjectRef reference, bool given)
    {
        if (_depth == 0)
        {
            return;
        }

        _collecting ??= [];
        _given ??= [];
        var seen = IndexOf(reference.Id);
        if (seen >= 0)
        {
            _given[seen] |= given;
            return;
        }

        _seen?.Add(reference.Id, _collecting.Count);
        _collecting.Add(reference);
        _given.Add(given);
    }

    private static int IndexOf(ObjectId id)
    {
        var collecting = _collecting!;
        if (collecting.Count < ScanLimit)
        {
            for (var i = 0; i < collecting.Count; i++)
            {
                if (collecting[i].Id == id)
                {
                    return i;
                }
            }

            return -1;
        }

        // Values with many refs (an array of 10,000 futures) look ids up by hash, not by scan.
        if (_seen is null)
        {
            _seen = new Dictionary<ObjectId, int>(collecting.Count * 2);
            for (var i = 0; i < collecting.Count; i++)
            {
                _seen[collecting[i].Id] = i;
            }
        }

        return _seen.TryGetValue(id, out var index) ? index : -1;
    }
}
