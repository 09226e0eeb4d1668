namespace Plexus.Control;

/// <summary>
/// Where each span of a job's timeline is drawn: on its node, and on a worker slot of that node
/// chosen so that spans on one slot never overlap (a worker runs several tasks at once when they
/// wait on futures, so a worker's pid would not do): each span takes the lowest slot of its node
/// free at its start. The Chrome trace (<see cref="ChromeTrace"/>) and the dashboard's timeline
/// both draw this layout.
/// </summary>
internal static class TimelineLayout
{
    /// <summary>
    /// The spans of <paramref name="spans"/> that started, in start order (ties by task id), each
    /// placed; spans still running end at <paramref name="now"/>. Nodes are numbered from 0 in the
    /// order their first span starts, slots from 0 per node.
    /// </summary>
    public static TimelinePlan Place(IReadOnlyList<TimelineSpan> spans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var started = spans.Where(s => s.StartedAt is not null).OrderBy(s => s.StartedAt).ThenBy(s => s.TaskId, StringComparer.Ordinal).ToList();
        var nodes = started.Select(NodeOf).Distinct(StringComparer.Ordinal).ToList();
        // By node: when each of its slots is free again (µs).
        var slots = nodes.ToDictionary(n => n, _ => new List<long>(), StringComparer.Ordinal);
        var placed = new List<PlacedSpan>(started.Count);
        foreach (var span in started)
        {
            var node = NodeOf(span);
            var start = Micros(span.StartedAt!.Value);
            var end = Math.Max(start, Micros(span.EndedAt ?? now));
            var free = slots[node];
            var slot = free.FindIndex(f => f <= start);
            var opensSlot = slot < 0;
            if (opensSlot)
            {
                slot = free.Count;
                free.Add(end);
            }
            else
            {
                free[slot] = end;
            }

            placed.Add(new PlacedSpan(span, nodes.IndexOf(node), slot, opensSlot, start, end));
        }

        return new TimelinePlan(nodes, placed);
    }

    /// <summary>Microseconds since the Unix epoch, the trace format's unit.</summary>
    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static string NodeOf(TimelineSpan span) => span.NodeId ?? "unknown";
}

/// <summary>A job's timeline laid out: its nodes (hex ids, "unknown" for spans with none) and its started spans in start order.</summary>
internal sealed record TimelinePlan(IReadOnlyList<string> Nodes, IReadOnlyList<PlacedSpan> Spans);

/// <summary>A span placed on node <paramref name="Node"/> (an index into <see cref="TimelinePlan.Nodes"/>) and its worker slot <paramref name="Slot"/> (from 0).</summary>
/// <param name="Span">The task's span.</param>
/// <param name="Node">Its node's index.</param>
/// <param name="Slot">Its slot on the node.</param>
/// <param name="OpensSlot">Whether it is the first span on its slot.</param>
/// <param name="StartMicros">Its start, in µs since the Unix epoch.</param>
/// <param name="EndMicros">Its end (the layout's "now" while it runs), never before its start.</param>
internal sealed record PlacedSpan(TimelineSpan Span, int Node, int Slot, bool OpensSlot, long StartMicros, long EndMicros);
