using System.Diagnostics;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// Objects across nodes: a 1 GiB object put by the driver (stored on its node) and read in place
/// by tasks pinned to other nodes, each of whose nodes copies it into its own store first.
/// </summary>
internal static class TransferFigures
{
    public const long ObjectBytes = 1L << 30;

    private const string Sent = "transfer_bytes_sent";
    private const string Received = "transfer_bytes_received";

    /// <summary>The object read on the remote node: GB/s from submitting the task to its answer.</summary>
    public static async Task<double> TransferGigabytesAsync(PlexusRuntime plexus, ClusterNodes nodes, byte[] data)
    {
        using var stored = plexus.Put(data);
        var length = plexus.Task<ReadOnlyMemory<byte>, int>(ClusterTasks.Length).WithOptions(ClusterNodes.PinnedTo(nodes.Remote));
        var seconds = await Micro.Measure.SecondsAsync(async () =>
        {
            using var read = length.Remote(stored.AsMemory());
            Check(await read);
        });
        return ObjectBytes / seconds / 1e9;
    }

    /// <summary>
    /// One new object read on up to four nodes at once (the driver's own included): the seconds
    /// until every read answered, and the bytes its node sent for them / the object's size (1 when
    /// the copies serve one another, one less than the readers when it serves every copy itself).
    /// </summary>
    public static async Task<(double Seconds, double SourceBytesRatio)> BroadcastAsync(PlexusRuntime plexus, ClusterControl control, ClusterNodes nodes, byte[] data)
    {
        var readers = nodes.Spread(4);
        using var stored = plexus.Put(data);
        var before = await control.UsageAsync([Sent, Received]);
        var clock = Stopwatch.StartNew();
        var reads = readers.Select(node => plexus.Task<ReadOnlyMemory<byte>, int>(ClusterTasks.Length).WithOptions(ClusterNodes.PinnedTo(node)).Remote(stored.AsMemory())).ToList();
        foreach (var read in reads)
        {
            Check(await read);
            read.Dispose();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var after = await control.UsageAsync([Sent, Received]);
        var sent = after[Sent].GetValueOrDefault(nodes.Local) - before[Sent].GetValueOrDefault(nodes.Local);
        await Console.Error.WriteLineAsync(
            $"broadcast to {readers.Count} nodes: sent {Describe(after[Sent], before[Sent])}; received {Describe(after[Received], before[Received])}");
        return (seconds, sent / ObjectBytes);
    }

    private static string Describe(Dictionary<string, double> after, Dictionary<string, double> before) =>
        string.Join(", ", after.Select(n => $"{n.Key[..8]} {(n.Value - before.GetValueOrDefault(n.Key)) / (1 << 20):N0} MiB"));

    private static void Check(int length)
    {
        if (length != ObjectBytes)
        {
            throw new InvalidOperationException($"A task read {length} bytes of the {ObjectBytes}-byte object.");
        }
    }
}
