using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// A task the node has not handed to a worker yet, with the store arguments pinned for it so
/// far. Its pins are kept while it waits for spilled arguments to come back, so two arguments
/// that do not fit together cannot evict each other forever.
/// </summary>
internal sealed class QueuedTask(TaskSpec spec)
{
    public TaskSpec Spec { get; } = spec;

    // The pinned version of each stored argument, by argument index; null for inline arguments and those not pinned yet.
    public ObjectValue?[] Pinned { get; } = new ObjectValue?[spec.Args.Length];

    // When it was queued at this node (a TimeProvider timestamp), for its scheduling latency; 0 when the node's telemetry is off.
    public long QueuedAt { get; init; }

    // Arguments being restored from disk; the task runs when none is left.
    public int Restoring { get; set; }

    // Whether its wait for resources held by running work was recorded (once per wait, not per dispatch pass).
    public bool WaitReported { get; set; }

    public IEnumerable<ObjectValue> Pins => Pinned.OfType<ObjectValue>();

    public long PinnedBytes => Pins.Sum(p => p.Size);

    /// <summary>The spec with every stored argument at the offset its pin names (a restore moves an object).</summary>
    public TaskSpec PinnedSpec()
    {
        ObjectValue[]? args = null;
        for (var i = 0; i < Pinned.Length; i++)
        {
            if (Pinned[i] is { } pin && pin.Offset != Spec.Args[i].Offset)
            {
                args ??= [.. Spec.Args];
                var arg = Spec.Args[i];
                args[i] = new ObjectValue
                {
                    Id = arg.Id,
                    Location = arg.Location,
                    Format = pin.Format,
                    Offset = pin.Offset,
                    Size = pin.Size,
                    Nested = arg.Nested,
                };
            }
        }

        // A new spec, not a mutation: an in-process owner keeps the original as lineage.
        return args is null ? Spec : Spec with { Args = args };
    }
}
