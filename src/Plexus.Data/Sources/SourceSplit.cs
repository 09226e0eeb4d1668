using System.Globalization;
using MessagePack;

namespace Plexus.Data.Sources;

/// <summary>
/// The part of one file that one read task reads: <c>[Start, End)</c> in <see cref="Unit"/>s, on the
/// node <see cref="NodeId"/> when the file is only on that node (null when every node sees it).
/// Sent to the task as a value, so it carries MessagePack keys.
/// </summary>
[MessagePackObject]
internal sealed record SourceSplit(
    [property: Key(0)] string Path,
    [property: Key(1)] long Start,
    [property: Key(2)] long End,
    [property: Key(3)] SplitUnit Unit = SplitUnit.Bytes,
    [property: Key(4)] string? NodeId = null)
{
    /// <summary>Where the split is, for errors and logs: "/data/a.log bytes 0–33554432".</summary>
    public string Describe()
    {
        var range = string.Create(CultureInfo.InvariantCulture, $"{Path} {(Unit == SplitUnit.Bytes ? "bytes" : "row groups")} {Start}–{End}");
        return NodeId is null ? range : $"{range} on node {NodeId}";
    }
}
