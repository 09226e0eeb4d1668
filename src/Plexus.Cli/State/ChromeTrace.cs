using System.Text.Json;
using Plexus.Control;

namespace Plexus.Cli.State;

/// <summary>
/// A job's timeline in the Chrome trace format (the JSON object form), which Perfetto and
/// chrome://tracing open: one complete event ("ph": "X", "ts" and "dur" in µs) per task that
/// started, on process = its node and thread = a worker slot of that node, plus metadata events
/// naming each. Slots are chosen so that spans on one slot never overlap (a worker runs several
/// tasks at once when they wait on futures, so a worker's pid would not do): each span takes the
/// lowest slot of its node free at its start.
/// </summary>
internal static class ChromeTrace
{
    /// <summary>Writes the trace of <paramref name="spans"/>; spans still running end at <paramref name="now"/>. Returns how many task events it wrote.</summary>
    public static int Write(Stream output, IReadOnlyList<TimelineSpan> spans, DateTimeOffset now)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        var started = spans.Where(s => s.StartedAt is not null).OrderBy(s => s.StartedAt).ThenBy(s => s.TaskId, StringComparer.Ordinal).ToList();
        var nodes = started.Select(s => s.NodeId ?? "unknown").Distinct(StringComparer.Ordinal).ToList();
        // By node: when each of its slots is free again (µs).
        var slots = nodes.ToDictionary(n => n, _ => new List<long>(), StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            Metadata(json, "process_name", pid: i + 1, tid: 0, $"node {nodes[i]}");
        }

        foreach (var span in started)
        {
            var node = span.NodeId ?? "unknown";
            var pid = nodes.IndexOf(node) + 1;
            var start = Micros(span.StartedAt!.Value);
            var end = Math.Max(start, Micros(span.EndedAt ?? now));
            var free = slots[node];
            var slot = free.FindIndex(f => f <= start);
            if (slot < 0)
            {
                slot = free.Count;
                free.Add(end);
                Metadata(json, "thread_name", pid, slot + 1, $"worker slot {slot + 1}");
            }
            else
            {
                free[slot] = end;
            }

            json.WriteStartObject();
            json.WriteString("name", span.Name.Length == 0 ? span.TaskId : span.Name);
            json.WriteString("cat", span.ActorId is null ? "task" : "actor_call");
            json.WriteString("ph", "X");
            json.WriteNumber("ts", start);
            json.WriteNumber("dur", end - start);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", slot + 1);
            json.WriteStartObject("args");
            json.WriteString("taskId", span.TaskId);
            json.WriteString("state", span.State.ToString());
            json.WriteNumber("attempt", span.Attempt);
            json.WriteNumber("workerPid", span.WorkerPid);
            if (span.ActorId is { } actor)
            {
                json.WriteString("actorId", actor);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return started.Count;
    }

    private static void Metadata(Utf8JsonWriter json, string kind, int pid, int tid, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", kind);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", name);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
