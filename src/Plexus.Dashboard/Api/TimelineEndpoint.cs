using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/timeline?job=J</c>: a job's task spans laid out per node and worker slot
/// (<see cref="TimelineLayout"/>, as <c>plexus timeline</c> lays them out), for the page to draw;
/// <c>GET /api/timeline/trace?job=J</c>: the same as the Chrome trace file <c>plexus timeline</c>
/// writes (<see cref="ChromeTrace"/>), as a download for Perfetto.
/// </summary>
internal static class TimelineEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/timeline", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.TimelineView));
        api.MapGet("/timeline/trace", DownloadTraceAsync);
    }

    private static async Task<TimelineView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var job = Job(context);
        var now = DateTimeOffset.UtcNow;
        var plan = TimelineLayout.Place(await reader.State.GetTimelineAsync(job, context.RequestAborted).ConfigureAwait(false), now);
        return new TimelineView(job, plan.Nodes, TimelineLayout.Micros(now), [.. plan.Spans.Select(SpanView.From)]);
    }

    private static async Task DownloadTraceAsync(HttpContext context)
    {
        var reader = await ApiResponses.ReaderAsync(context).ConfigureAwait(false);
        string job;
        IReadOnlyList<TimelineSpan> spans;
        try
        {
            job = Job(context);
            spans = await reader.State.GetTimelineAsync(job, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await ApiResponses.BadRequestAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        // The trace is written synchronously (Utf8JsonWriter): into memory, then sent, since the server refuses synchronous writes.
        using var trace = new MemoryStream();
        ChromeTrace.Write(trace, spans, DateTimeOffset.UtcNow);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"timeline-{job}.json\"";
        await context.Response.Body.WriteAsync(trace.GetBuffer().AsMemory(0, (int)trace.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Job(HttpContext context) =>
        ApiResponses.Query(context, "job") ?? throw new ArgumentException("job is missing: give a job's id (hex, from the jobs page).");
}

/// <summary>A job's timeline: its nodes (hex ids), the time it was read (µs since the Unix epoch), and its spans.</summary>
internal sealed record TimelineView(string JobId, IReadOnlyList<string> Nodes, long NowMicros, IReadOnlyList<SpanView> Spans);

/// <summary>A task's span on node <paramref name="Node"/> (an index into the nodes) and worker slot <paramref name="Slot"/>; times in µs since the Unix epoch.</summary>
internal sealed record SpanView(string TaskId, string Name, ClusterTaskState State, bool ActorCall, int Node, int Slot, long StartMicros, long EndMicros)
{
    public static SpanView From(PlacedSpan placed) => new(
        placed.Span.TaskId, placed.Span.Name.Length == 0 ? placed.Span.TaskId : placed.Span.Name, placed.Span.State, placed.Span.ActorId is not null,
        placed.Node, placed.Slot, placed.StartMicros, placed.EndMicros);
}
