using System.Diagnostics;

namespace Plexus.Benchmarks.Recovery;

/// <summary>
/// Many small stored objects lost at once: 1,000 blocks of 128 KiB (past the inline threshold, so
/// each lives only in the store of the node that made it) made on the victim, the victim killed,
/// then every block read back by the driver, which owns them all and makes the lost ones again
/// from lineage. Objects per second from the kill until the last block is read.
/// </summary>
internal static class ReconstructionFigure
{
    public const int Objects = 1000;
    private const int BlockBytes = 128 << 10;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<double> ObjectsPerSecondAsync(PlexusRuntime plexus, string victim, RecoverySignal signal)
    {
        var onVictim = new TaskOptions { Strategy = SchedulingStrategy.NodeAffinity(victim, soft: true) };
        var blocks = Enumerable.Range(0, Objects).Select(i => plexus.Task<int, int, byte[]>(RecoveryTasks.Block).WithOptions(onVictim).Remote(i, BlockBytes)).ToList();
        var (ready, _) = await plexus.WaitAsync(blocks, count: Objects, timeout: Patience);
        if (ready.Count != Objects)
        {
            throw new TimeoutException($"Only {ready.Count} of {Objects} blocks were made within {Patience.TotalMinutes} min.");
        }

        var clock = Stopwatch.StartNew();
        signal.Request(RecoverySignal.KillVictim);
        await signal.WaitForAcknowledgementAsync(RecoverySignal.KillVictim, Patience);
        var values = await plexus.GetAsync(blocks, Patience);
        var seconds = clock.Elapsed.TotalSeconds;
        for (var i = 0; i < Objects; i++)
        {
            if (values[i].Length != BlockBytes || values[i][0] != (byte)i || values[i][^1] != (byte)i)
            {
                throw new InvalidOperationException($"Block {i} came back with {values[i].Length} bytes of {values[i][0]}, not {BlockBytes} of {(byte)i}.");
            }
        }

        foreach (var block in blocks)
        {
            block.Dispose();
        }

        return Objects / seconds;
    }
}
