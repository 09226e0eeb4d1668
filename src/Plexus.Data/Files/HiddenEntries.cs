namespace Plexus.Data.Files;

/// <summary>
/// Which directory entries readers never see: names starting with '_' (a sink's <c>_temporary</c>
/// and <c>_SUCCESS</c>) or '.' (editors' and tools' files), the convention Hadoop and Spark share.
/// </summary>
internal static class HiddenEntries
{
    public static bool IsHidden(ReadOnlySpan<char> name) => name.Length > 0 && (name[0] == '_' || name[0] == '.');
}
