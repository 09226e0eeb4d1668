namespace Plexus.Protocol.Handshake;

/// <summary>
/// What each side says about itself when a connection opens, before any frame. The connecting
/// side sends all of it; the accepting side answers with everything but the token.
/// </summary>
/// <param name="ClusterId">The cluster the sender belongs to (or, connecting, means to join); 0 when
/// a connecting side knows only an address and accepts whichever cluster answers.</param>
/// <param name="NodeId">The node the sender runs on or is.</param>
/// <param name="Incarnation">A random number drawn each time the sender starts: a process's
/// (<see cref="ProcessIncarnation.Current"/>), or a node daemon's (its node id); peers refuse a node
/// whose incarnation is not the one the cluster lists.</param>
/// <param name="Token">The cluster's shared secret (empty in the accepting side's answer).</param>
internal sealed record ConnectionPreamble(ulong ClusterId, ulong NodeId, ulong Incarnation, string Token)
{
    /// <summary>
    /// The protocol version this build speaks. Messages are not version tolerant (a field added to
    /// one changes its layout), so every change to them takes a new version: 2 added the retry and
    /// cancellation fields and messages, 3 those of lineage reconstruction, actor restarts and
    /// checkpoints, 4 the actor restart spec, 5 the type arguments of closed generic
    /// functions, 6 the requester's job and capability tags of object reads and actor calls, 7
    /// the tag of a future constructor argument (<c>FutureSource</c>), 8 whether the writer of a
    /// value gave each ref inside it (<c>NestedRef.Given</c>), the summary of a runtime's
    /// references (<c>SummarizeReferences</c>, <c>ReferencesSummarized</c>) and the stop of an
    /// idle worker (<c>StopIfIdle</c> and its answer), 9 the task log level of tasks and actors,
    /// 10 the namespace of their job (<c>TaskSpec.JobNamespace</c>, <c>ActorSpec.JobNamespace</c>).
    /// </summary>
    public const ushort CurrentVersion = 10;

    /// <summary>The protocol version the sender speaks. Default: <see cref="CurrentVersion"/>.</summary>
    public ushort Version { get; init; } = CurrentVersion;

    /// <inheritdoc />
    public override string ToString() =>
        $"version {Version}, cluster {ClusterId:x16}, node {NodeId:x16}, incarnation {Incarnation:x16}";
}
