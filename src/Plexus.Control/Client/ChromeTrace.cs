using System.Text.Json;

namespace Plexus.Control;

/// <summary>
/// A job's timeline in the Chrome trace format (the JSON object form), which Perfetto and
/// chrome://tracing open: one complete event ("ph": "X", "ts" and "dur" in µs) per task that
/// started, on process = its node and thread = its worker slot (<see cref="TimelineLayout"/>), plus
/// metadata events naming each. What <c>plexus timeline</c> writes and the dashboard downloads.
/// </summary>
internal static class ChromeTrace
{
    /// <summary>Writes the trace of <paramref name="spans"/>; spans still running end at <paramref name="now"/>. Returns how many task events it wrote.</summary>
    public static int Write(Stream output, IReadOnlyList<TimelineSpan> spans, DateTimeOffset now)
    {
        var plan = TimelineLayout.Place(spans, now);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        for (var i = 0; i < plan.Nodes.Count; i++)
        {
            Metadata(json, "process_name", pid: i + 1, tid: 0, $"node {plan.Nodes[i]}");
        }

        foreach (var placed in plan.Spans)
        {
            var span = placed.Span;
            var pid = placed.Node + 1;
            var tid = placed.Slot + 1;
            if (placed.OpensSlot)
            {
                Metadata(json, "thread_name", pid, tid, $"worker slot {tid}");
            }

            json.WriteStartObject();
            json.WriteString("name", span.Name.Length == 0 ? span.TaskId : span.Name);
            json.WriteString("cat", span.ActorId is null ? "task" : "actor_call");
            json.WriteString("ph", "X");
            json.WriteNumber("ts", placed.StartMicros);
            json.WriteNumber("dur", placed.EndMicros - placed.StartMicros);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", tid);
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
        return plan.Spans.Count;
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
}
