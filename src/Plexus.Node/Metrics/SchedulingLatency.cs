using System.Diagnostics.Metrics;

namespace Plexus.Node;

/// <summary>
/// Times each task from when it is queued at this node to when it is handed to a worker, into
/// <c>plexus_scheduling_latency_seconds</c>. A queued task carries the timestamp it was queued
/// at (one clock read); the duration is recorded only while someone listens to the histogram.
/// </summary>
internal sealed class SchedulingLatency(Histogram<double> histogram, KeyValuePair<string, object?> node, TimeProvider time)
{
    /// <summary>
    /// Bucket bounds in seconds: from a tenth of a millisecond (a task handed out as it arrives)
    /// to half a minute (work queued behind a busy cluster); OpenTelemetry's default bounds are
    /// made for milliseconds and would put every task in the first bucket.
    /// </summary>
    public static readonly IReadOnlyList<double> BucketBounds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>The timestamp a task queued now carries.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>A task queued at <paramref name="queuedAt"/> was handed to a worker now.</summary>
    public void Handed(long queuedAt)
    {
        if (histogram.Enabled)
        {
            histogram.Record(time.GetElapsedTime(queuedAt).TotalSeconds, node);
        }
    }
}
