namespace Plexus.Core.References;

/// <summary>
/// Collects the borrowed refs a task's arguments bring into this process while they are decoded,
/// so that when the task finishes the worker can tell the task's owner which of them it still holds.
/// Decoding is synchronous, so a thread-static list is exact.
/// </summary>
internal static class ArgumentRefs
{
    [ThreadStatic]
    private static List<RefEntry>? _collecting;

    [ThreadStatic]
    private static bool _active;

    public static void Begin()
    {
        _active = true;
        _collecting = null;
    }

    /// <summary>Ends collection and returns the entries seen, or null when there were none.</summary>
    public static List<RefEntry>? End()
    {
        _active = false;
        var collected = _collecting;
        _collecting = null;
        return collected;
    }

    public static void Record(RefEntry entry)
    {
        if (_active && !entry.IsOwned && entry.Registrations == 0)
        {
            (_collecting ??= []).Add(entry);
        }
    }
}
