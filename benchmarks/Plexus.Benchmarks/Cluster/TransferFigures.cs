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

    // Transfers timed: the figure is their median. The first also writes pages of the reader's
    // store never touched before, which costs what the transfer does not (see BENCHMARKS.md).
    private const int TimedTransfers = 3;

    // The warm-up's objects: 16 chunks each, so a few rounds run the pull path past the JIT's tiering.
    private const int WarmUpBytes = 64 << 20;

    /// <summary>
    /// Pulls new objects onto every other node for <see cref="Micro.Measure.WarmUpDuration"/>, as
    /// every micro figure is warmed up: the transfer path reaches optimized code in the nodes
    /// before it is timed (one 8 MiB read leaves it to the JIT mid-transfer: measured, the
    /// reader's first 1 GiB pull spent about a second of its CPU compiling).
    /// </summary>
    public static async Task<long> WarmUpAsync(PlexusRuntime plexus, ClusterNodes nodes)
    {
        var data = new byte[WarmUpBytes];
        var readers = nodes.Ids.Where(id => id != nodes.Local).ToList();
        var rounds = 0L;
        await Micro.Measure.WarmUpAsync(async () =>
        {
            using var stored = plexus.Put(data);
            foreach (var node in readers)
            {
                using var read = plexus.Task<ReadOnlyMemory<byte>, int>(ClusterTasks.Length).WithOptions(ClusterNodes.PinnedTo(node)).Remote(stored.AsMemory());
                Check(await read, WarmUpBytes);
            }

            return ++rounds;
        });
        return rounds;
    }

    /// <summary>
    /// New objects read on the remote node, one at a time: GB/s from submitting the task to its
    /// answer, for each of <see cref="TimedTransfers"/> objects, in order.
    /// </summary>
    public static async Task<IReadOnlyList<double>> TransferGigabytesAsync(PlexusRuntime plexus, ClusterNodes nodes, byte[] data)
    {
        var length = plexus.Task<ReadOnlyMemory<byte>, int>(ClusterTasks.Length).WithOptions(ClusterNodes.PinnedTo(nodes.Remote));
        var rates = new List<double>();
        for (var i = 0; i < TimedTransfers; i++)
        {
            using var stored = plexus.Put(data);
            var seconds = await Micro.Measure.SecondsAsync(async () =>
            {
                using var read = length.Remote(stored.AsMemory());
                Check(await read);
            });
            rates.Add(ObjectBytes / seconds / 1e9);
        }

        await Console.Error.WriteLineAsync($"transfers: {string.Join(", ", rates.Select(r => $"{r:F3}"))} GB/s");
        return rates;
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

    private static void Check(int length, long expected = ObjectBytes)
    {
        if (length != expected)
        {
            throw new InvalidOperationException($"A task read {length} bytes of the {expected}-byte object.");
        }
    }
}
