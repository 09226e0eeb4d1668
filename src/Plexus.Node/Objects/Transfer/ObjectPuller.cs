using System.Buffers;
using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Copies objects from peers into this node's store for the pins that need them: one pull per
/// object however many pins wait (each is answered when it ends), room taken from the store like
/// any create (so a full store waits, collects, evicts or spills first), then chunks asked for a
/// few at a time and written straight into the copy's range, which is sealed when complete.
/// Only touched under the node's lock; messages go through the <see cref="Outbox"/>.
/// </summary>
/// <remarks>
/// The source pins the object from <see cref="PullStarted"/> to <see cref="PullDone"/>, which this
/// node sends whenever a started pull ends, complete or not. A pull the primary redirected to a
/// copy holder that cannot serve it goes back to the primary, which then serves it itself. At most
/// <see cref="TransferSettings.ChunksInFlight"/> chunks of one pull are asked for at once, so its
/// bytes never queue on the link ahead of other messages by more than that many chunks.
/// </remarks>
internal sealed class ObjectPuller(
    NodeObjectStore objects, LocalObjectStore store, PeerMessenger peers, PartialCopyServer partial, TransferSettings settings, TimeProvider time, ILogger logger)
{
    // The pulls under way, by object: each object is copied here once, whoever waits for it.
    private readonly Dictionary<ObjectId, IncomingPull> _pulls = [];

    /// <summary>Bytes of objects received from peers since the node started.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>
    /// Copies <paramref name="id"/> from node <paramref name="node"/> (which its value names), or
    /// joins the pull of it under way; <paramref name="whenDone"/> is called under the lock when the
    /// copy is sealed here (null) or the pull failed (why).
    /// </summary>
    public void Pull(ObjectId id, ulong node, Action<Outbox, ErrorInfo?> whenDone, Outbox outbox)
    {
        if (_pulls.TryGetValue(id, out var pull))
        {
            pull.Waiters.Add(whenDone);
            return;
        }

        if (!peers.Send(node, new PullObject { Object = id }, outbox))
        {
            whenDone(outbox, Unreachable(id, node, "this node has no link to it"));
            return;
        }

        pull = new IncomingPull(id, node);
        pull.Waiters.Add(whenDone);
        _pulls[id] = pull;
    }

    /// <summary>The copy of <paramref name="id"/> being written here, if any.</summary>
    public IncomingPull? UnderWay(ObjectId id) => _pulls.GetValueOrDefault(id);

    public void OnRedirect(ulong from, PullRedirect redirect, Outbox outbox)
    {
        if (Find(redirect.Object, from) is not { Started: false } pull)
        {
            return;
        }

        if (redirect.Node != pull.Primary && peers.Send(redirect.Node, new PullObject { Object = pull.Id }, outbox))
        {
            pull.Source = redirect.Node;
            return;
        }

        AskPrimary(pull, outbox); // No link to the copy's node: the primary serves it.
    }

    public void OnRefused(ulong from, PullRefused refused, Outbox outbox)
    {
        if (Find(refused.Object, from) is not { } pull)
        {
            return;
        }

        if (pull.Redirected)
        {
            Restart(pull, outbox); // The copy went meanwhile: the primary still has the object.
            return;
        }

        Fail(pull, Lost(pull.Id, from, refused.Reason), outbox);
    }

    public void OnStarted(ulong from, PullStarted started, Outbox outbox)
    {
        if (Find(started.Object, from) is not { Started: false } pull)
        {
            // The pull ended while the source pinned it: let it go.
            peers.Send(from, new PullDone { Object = started.Object, Complete = false }, outbox);
            return;
        }

        pull.Started = true;
        pull.Size = started.Size;
        pull.Format = started.Format;
        pull.Owner = started.Owner;
        var primary = pull.Primary;
        var copy = new SecondaryCopy(primary, started.Owner, later => peers.Send(primary, new CopyDropped { Object = started.Object }, later));
        pull.Room = new PendingCreate(0, pull.Id, started.Size, ProcessAddress.NodeProcess, ProcessAddress.NodeProcess, time.GetTimestamp(),
            (later, reply) => OnRoom(pull, reply, later)) { Copy = copy };
        objects.Create(pull.Room, outbox);
    }

    public void OnChunk(ulong from, ObjectChunk chunk, Outbox outbox)
    {
        // A chunk of a pull that ended (the object was freed, the copy could not be stored) is dropped.
        if (Find(chunk.Object, from) is not { Offset: >= 0 } pull)
        {
            return;
        }

        var length = chunk.Payload.Length;
        if (length == 0 || chunk.Offset + length > pull.Size)
        {
            throw new ProtocolViolationException(
                $"Node {from:x16} sent bytes {chunk.Offset}..{chunk.Offset + length} of object {chunk.Object}, which has {pull.Size}");
        }

        // The range is this pull's alone until it is sealed: nobody else reads or writes it. Its pages
        // are faulted in first, in one call: on tmpfs each first touch in the copy would be a page
        // fault of its own (measured: a quarter of a pull's CPU over loopback goes that way otherwise).
        store.Arena.Prefault(pull.Offset + chunk.Offset, length);
        chunk.Payload.CopyTo(store.Arena.GetSpan(pull.Offset + chunk.Offset, (int)length));
        pull.InFlight--;
        pull.Received += length;
        BytesReceived += length;
        partial.OnBytes(pull);
        if (pull.Received >= pull.Size)
        {
            Complete(pull, outbox);
        }
        else
        {
            AskForChunks(pull, outbox);
        }
    }

    /// <summary>
    /// The primary <paramref name="from"/> freed these objects: copies of them here go (once no
    /// reader pins them), and a pull of one under way fails.
    /// </summary>
    public void OnDropCopies(ulong from, DropCopies drop, Outbox outbox)
    {
        foreach (var id in drop.Objects)
        {
            if (_pulls.TryGetValue(id, out var pull) && pull.Primary == from)
            {
                Fail(pull, ErrorInfo.Of(ErrorKind.ObjectLost,
                    $"Object {id} was freed at its primary node {from:x16} (its owner freed it or exited) while it was being copied here."), outbox);
            }
            else if (store.Find(id) is { Copy.Primary: var primary } && primary == from)
            {
                objects.Free(id, outbox);
            }
        }
    }

    /// <summary>
    /// The link to <paramref name="node"/> is lost: a pull it served goes back to the primary when
    /// it was a copy holder, else fails. Copies of its objects stay here until freed or evicted.
    /// </summary>
    public void OnPeerLost(ulong node, Outbox outbox)
    {
        foreach (var pull in _pulls.Values)
        {
            PartialCopyServer.Leave(node, pull);
        }

        foreach (var pull in _pulls.Values.Where(p => p.Source == node).ToList())
        {
            if (pull.Redirected)
            {
                Restart(pull, outbox);
            }
            else
            {
                Fail(pull, Unreachable(pull.Id, node, "the link to it was lost"), outbox);
            }
        }
    }

    private IncomingPull? Find(ObjectId id, ulong source) =>
        _pulls.TryGetValue(id, out var pull) && pull.Source == source ? pull : null;

    private void OnRoom(IncomingPull pull, CreateReply reply, Outbox outbox)
    {
        pull.Room = null;
        if (reply.Error is { } error)
        {
            Fail(pull, error with { Message = $"Object {pull.Id} could not be copied from node {pull.Source:x16}: {error.Message}" }, outbox);
            return;
        }

        pull.Offset = reply.Offset;
        partial.OnRoom(pull, outbox);
        AskForChunks(pull, outbox);
    }

    private void AskForChunks(IncomingPull pull, Outbox outbox)
    {
        if (pull.Size == 0)
        {
            Complete(pull, outbox);
            return;
        }

        while (pull.InFlight < settings.ChunksInFlight && pull.NextChunk < pull.Size)
        {
            var length = (int)Math.Min(settings.ChunkBytes, pull.Size - pull.NextChunk);
            peers.Send(pull.Source, new ReadChunk { Object = pull.Id, Offset = pull.NextChunk, Length = length }, outbox);
            pull.NextChunk += length;
            pull.InFlight++;
        }
    }

    private void Complete(IncomingPull pull, Outbox outbox)
    {
        _pulls.Remove(pull.Id);
        objects.Seal(pull.Id, pull.Format);
        partial.OnSealed(pull, outbox);
        // The source lets go of its pin; the primary counts the copy among those it may send pulls to.
        peers.Send(pull.Source, new PullDone { Object = pull.Id, Complete = true }, outbox);
        if (pull.Redirected)
        {
            peers.Send(pull.Primary, new PullDone { Object = pull.Id, Complete = true }, outbox);
        }

        Notify(pull, null, outbox);
    }

    private void Fail(IncomingPull pull, ErrorInfo error, Outbox outbox)
    {
        _pulls.Remove(pull.Id);
        Abandon(pull, outbox);
        logger.PullFailed(pull.Id, pull.Source, error.Message);
        Notify(pull, error, outbox);
    }

    // The copy being served by a copy holder cannot be finished there: start again from the primary.
    private void Restart(IncomingPull pull, Outbox outbox)
    {
        Abandon(pull, outbox);
        pull.Started = false;
        pull.NextChunk = 0;
        pull.InFlight = 0;
        pull.Received = 0;
        AskPrimary(pull, outbox);
    }

    private void AskPrimary(IncomingPull pull, Outbox outbox)
    {
        pull.Source = pull.Primary;
        if (!peers.Send(pull.Primary, new PullObject { Object = pull.Id, NoRedirect = true }, outbox))
        {
            Fail(pull, Unreachable(pull.Id, pull.Primary, "this node has no link to it"), outbox);
        }
    }

    // Gives back the room taken for the copy and tells the source (which pinned it) and the primary
    // (which counted this node as a holder) that no copy is coming.
    private void Abandon(IncomingPull pull, Outbox outbox)
    {
        partial.OnAbandoned(pull, outbox);
        if (pull.Room is { } room)
        {
            objects.Withdraw(room, outbox);
            pull.Room = null;
        }

        if (pull.Offset >= 0)
        {
            objects.Free(pull.Id, outbox);
            pull.Offset = -1;
        }

        if (pull.Started)
        {
            peers.Send(pull.Source, new PullDone { Object = pull.Id, Complete = false }, outbox);
        }

        if (pull.Redirected)
        {
            peers.Send(pull.Primary, new PullDone { Object = pull.Id, Complete = false }, outbox);
        }
    }

    private static void Notify(IncomingPull pull, ErrorInfo? error, Outbox outbox)
    {
        foreach (var waiter in pull.Waiters)
        {
            waiter(outbox, error);
        }
    }

    private static ErrorInfo Lost(ObjectId id, ulong node, string why) =>
        ErrorInfo.Of(ErrorKind.ObjectLost, $"Object {id} could not be copied from node {node:x16}, whose store holds it: {why}.");

    // The node holding the object cannot be reached (it died or left): its owner may make it again,
    // so readers and queued tasks turn to the owner rather than fail (docs/ARCHITECTURE.md, "Lineage reconstruction").
    private static ErrorInfo Unreachable(ObjectId id, ulong node, string why) =>
        ErrorInfo.Of(ErrorKind.ObjectUnreachable, $"Object {id} could not be copied from node {node:x16}, whose store holds it: {why}.");
}
