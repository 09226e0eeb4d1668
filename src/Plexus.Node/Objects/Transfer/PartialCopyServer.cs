using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Serves peers' pulls from a copy this node is still being sent, so that readers that start
/// together form a chain from the primary instead of all pulling from it: a peer redirected here
/// gets <see cref="PullStarted"/> once the copy has its range, and each chunk it asks for as soon
/// as the bytes have arrived. When the copy is sealed the peers are handed to the
/// <see cref="PullServer"/> (pinned like any pull of a complete copy); when it fails or is dropped
/// they are refused, and go back to the primary (<see cref="ObjectPuller"/>: a redirected pull that
/// is refused restarts there). Only touched under the node's lock.
/// </summary>
/// <remarks>
/// The copy's bytes arrive in order: its one source answers the chunks in the order they were
/// asked for, over one link. So the bytes here are always the first <see cref="IncomingPull.Received"/>
/// of the object, and a read is answered once it ends within them.
/// </remarks>
internal sealed class PartialCopyServer(LocalObjectStore store, PeerMessenger peers, PullServer server)
{
    /// <summary>Serves <paramref name="peer"/>'s pull of the copy <paramref name="pull"/> is writing here.</summary>
    public void Serve(ulong peer, IncomingPull pull, Outbox outbox)
    {
        pull.Downstream.Add(peer);
        if (pull.Offset >= 0)
        {
            SendStarted(peer, pull, outbox);
        }
    }

    /// <summary>
    /// Answers <paramref name="peer"/>'s read of the copy <paramref name="pull"/> is writing here:
    /// now if its bytes are here, else when they arrive.
    /// </summary>
    public void Read(ulong peer, IncomingPull pull, ReadChunk read)
    {
        if (pull.Offset < 0 || read.Offset + read.Length > pull.Size)
        {
            throw new ProtocolViolationException(
                $"Node {peer:x16} asked for bytes {read.Offset}..{read.Offset + read.Length} of object {read.Object}, which is not being sent to it or has {pull.Size}");
        }

        if (read.Offset + read.Length <= pull.Received)
        {
            server.SendChunk(peer, read, store.Arena.GetMemory<byte>(pull.Offset + read.Offset, read.Length));
        }
        else
        {
            pull.WaitingReads.Add((peer, read));
        }
    }

    /// <summary>The copy has its range here: the peers that asked meanwhile learn its size.</summary>
    public void OnRoom(IncomingPull pull, Outbox outbox)
    {
        foreach (var peer in pull.Downstream)
        {
            SendStarted(peer, pull, outbox);
        }
    }

    /// <summary>More of the copy arrived: the reads it covers are answered.</summary>
    public void OnBytes(IncomingPull pull)
    {
        pull.WaitingReads.RemoveAll(waiting =>
        {
            var (peer, read) = waiting;
            if (read.Offset + read.Length > pull.Received)
            {
                return false;
            }

            server.SendChunk(peer, read, store.Arena.GetMemory<byte>(pull.Offset + read.Offset, read.Length));
            return true;
        });
    }

    /// <summary>The copy is sealed: its peers are served from it as from any complete copy, their waiting reads first.</summary>
    public void OnSealed(IncomingPull pull, Outbox outbox)
    {
        foreach (var peer in pull.Downstream)
        {
            server.Adopt(peer, pull.Id, outbox);
        }

        foreach (var (peer, read) in pull.WaitingReads)
        {
            server.OnReadChunk(peer, read, outbox);
        }

        Forget(pull);
    }

    /// <summary>The copy will not be finished here (it failed, was dropped, or starts over): its peers go back to the primary.</summary>
    public void OnAbandoned(IncomingPull pull, Outbox outbox)
    {
        var reason = $"the copy being written at node {peers.Self:x16} was not finished there";
        foreach (var peer in pull.Downstream)
        {
            if (pull.Offset >= 0)
            {
                server.CutOff(peer, pull.Id, reason, outbox); // It was sent PullStarted: reads may be on the way.
            }
            else
            {
                peers.Send(peer, new PullRefused { Object = pull.Id, Reason = reason }, outbox);
            }
        }

        Forget(pull);
    }

    /// <summary><paramref name="peer"/> is done with the copy (or gone): nothing more is sent to it.</summary>
    public static void Leave(ulong peer, IncomingPull pull)
    {
        pull.Downstream.Remove(peer);
        pull.WaitingReads.RemoveAll(waiting => waiting.Peer == peer);
    }

    private void SendStarted(ulong peer, IncomingPull pull, Outbox outbox) =>
        peers.Send(peer, new PullStarted { Object = pull.Id, Size = pull.Size, Format = pull.Format, Owner = pull.Owner }, outbox);

    private static void Forget(IncomingPull pull)
    {
        pull.Downstream.Clear();
        pull.WaitingReads.Clear();
    }
}
