using System.Diagnostics.Tracing;
using System.Globalization;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// This process's full (generation 2) collections since it was made, by the runtime's reason for
/// each: counts that survive a loaded machine, unlike timings. A
/// collection for large-object allocations says arrays of 85,000 bytes or more were made (a
/// table that grows, a buffer per report); one for small allocations says objects were promoted
/// into generation 2 until its budget ran out (things that live long enough, then die).
/// </summary>
/// <remarks>
/// Listens to the runtime's own <c>GCStart</c> events in this process: one per collection,
/// nothing per allocation.
/// </remarks>
internal sealed class FullCollections : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStartEvent = 1;

    // The runtime's GC reasons (ClrEtwAll.man's GCReason), by number; later ones by number only.
    private static readonly string[] ReasonNames =
        ["small allocations", "induced", "low memory", "empty", "large allocations", "out of space (small)", "out of space (large)", "induced, not forced"];

    // Guards the counts, written by the runtime's event thread and read by Describe.
    private readonly object _lock = new();
    // Full collections by reason number.
    private readonly Dictionary<int, int> _byReason = [];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_lock)
        {
            // GCStart's payload: Count, Depth (the generation collected), Reason, Type.
            if (e.EventId == GcStartEvent && e.Payload is { Count: >= 3 } start && Convert.ToUInt32(start[1], CultureInfo.InvariantCulture) == 2)
            {
                var reason = (int)Convert.ToUInt32(start[2], CultureInfo.InvariantCulture);
                _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
            }
        }
    }

    /// <summary>"full collections: 3 small allocations, 2 large allocations".</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return _byReason.Count == 0
                ? "full collections: none"
                : "full collections: " + string.Join(", ", _byReason.OrderBy(r => r.Key).Select(r => $"{r.Value} {(r.Key < ReasonNames.Length ? ReasonNames[r.Key] : $"reason {r.Key}")}"));
        }
    }
}
