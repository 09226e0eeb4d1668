using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// Collects the futures a value contains while it is serialized (once each). The encoded value
/// keeps the <see cref="ObjectRef"/> instances, so they stay reachable (and their objects
/// referenced) until whoever stores or sends the value has counted them.
/// </summary>
internal static class EncodedRefs
{
    [ThreadStatic]
    private static List<ObjectRef>? _collecting;

    [ThreadStatic]
    private static int _depth;

    [ThreadStatic]
    private static HashSet<ObjectId>? _seen;

    private const int ScanLimit = 16;

    public static void Begin()
    {
        if (_depth++ == 0)
        {
            _collecting = null;
            _seen = null;
        }
    }

    /// <summary>Ends collection and returns the refs seen, or null when there were none.</summary>
    public static ObjectRef[]? End()
    {
        if (--_depth > 0)
        {
            return null;
        }

        var collected = _collecting;
        _collecting = null;
        _seen = null;
        return collected?.ToArray();
    }

    public static void Record(ObjectRef reference)
    {
        if (_depth == 0)
        {
            return;
        }

        _collecting ??= [];
        if (_collecting.Count < ScanLimit)
        {
            foreach (var seen in _collecting)
            {
                if (seen.Id == reference.Id)
                {
                    return;
                }
            }
        }
        else
        {
            // Values with many refs (an array of 10,000 futures) check membership by hash, not by scan.
            _seen ??= [.. _collecting.Select(r => r.Id)];
            if (!_seen.Add(reference.Id))
            {
                return;
            }
        }

        _collecting.Add(reference);
    }

    /// <summary>The protocol's names for <paramref name="refs"/>.</summary>
    public static NestedRef[]? ToNested(ObjectRef[]? refs)
    {
        if (refs is null)
        {
            return null;
        }

        var nested = new NestedRef[refs.Length];
        for (var i = 0; i < refs.Length; i++)
        {
            nested[i] = new NestedRef(refs[i].Id, refs[i].Owner);
        }

        return nested;
    }
}
