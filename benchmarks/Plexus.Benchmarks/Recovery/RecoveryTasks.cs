namespace Plexus.Benchmarks.Recovery;

/// <summary>Task functions of the recovery suite. Static, so workers find them by metadata token.</summary>
internal static class RecoveryTasks
{
    /// <summary>
    /// One link of a chain: works for <paramref name="milliseconds"/>, then returns a value as large
    /// as <paramref name="previous"/> whose first byte counts the links so far, so the chain's end
    /// says whether every link ran on the value before it.
    /// </summary>
    public static byte[] Link(byte[] previous, int milliseconds)
    {
        Thread.Sleep(milliseconds);
        var next = new byte[previous.Length];
        next[0] = (byte)(previous[0] + 1);
        return next;
    }

    /// <summary>A block of <paramref name="bytes"/> bytes, each <paramref name="index"/> (mod 256): its content says which it is.</summary>
    public static byte[] Block(int index, int bytes)
    {
        var block = new byte[bytes];
        Array.Fill(block, (byte)index);
        return block;
    }

    /// <summary>Where a task ran: the node's id (hex), for a warm-up that checks it landed where it was sent.</summary>
    public static string NodeId() => PlexusRuntime.Current.NodeId;
}
