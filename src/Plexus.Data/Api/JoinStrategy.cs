namespace Plexus.Data;

/// <summary>How a join brings equal keys together.</summary>
public enum JoinStrategy
{
    /// <summary>
    /// <see cref="Broadcast"/> when the right side's size is known without running it (items from the
    /// driver, a materialized dataset, with no operation after them) and is at most
    /// <see cref="DataOptions.BroadcastJoinThresholdBytes"/>; <see cref="Hash"/> otherwise.
    /// </summary>
    Auto,

    /// <summary>
    /// Both sides hash-partitioned by key (a shuffle of each), and each partition joined by one task.
    /// Keys the left side's maps find on a large share of their rows are spread over several
    /// partitions, with their right rows copied to each.
    /// </summary>
    Hash,

    /// <summary>
    /// The right side made once and sent by reference to every task of the left side, which joins
    /// its rows block by block with a table built on the right side: the left side is not shuffled.
    /// Meant for a right side small enough for every task to hold (a lookup table).
    /// </summary>
    Broadcast,
}
