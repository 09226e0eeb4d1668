using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Cluster.Tests.Fuzzing;

/// <summary>
/// Sends a node's peer port what a broken or hostile peer would: random bytes, preambles that are
/// malformed or carry a wrong token, and, after a preamble with the right token, truncated frames,
/// length prefixes beyond the frame limit, garbage bodies, real messages mutated byte by byte, and
/// well-formed messages a peer may not send. Each attack is one connection; a connection that is
/// refused or reset is what the node should do to bad input, not a failure, but a port that stops
/// accepting connections, or a wrong token that is not refused, is.
/// </summary>
internal sealed class NodePortFuzzer(Random random, string token, FuzzTarget target, ConcurrentQueue<string> failures)
{
    // How long an attack waits for the node's answer to a preamble.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    // How long an attack may wait for the node to close the connection (it need not: a frame it
    // accepts, or bytes too few to be a preamble, leave it open) before closing it itself.
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(1);

    /// <summary>Runs one attack chosen at random and returns its name.</summary>
    public async Task<string> AttackAsync(CancellationToken cancellationToken)
    {
        switch (random.Next(5))
        {
            case 0:
                await SendRawAsync(random.Bytes(1, 4096), cancellationToken);
                return "random bytes";
            case 1:
                await SendRawAsync(MalformedPreamble(), cancellationToken);
                return "malformed preamble";
            case 2:
                await PresentWrongTokenAsync(cancellationToken);
                return "wrong token";
            case 3:
                await SendFramesAsync(random.Next(1, 20), cancellationToken);
                return "bad frames after the right token";
            default:
                await ImpersonateAsync(cancellationToken);
                return "a linked node's id with the right token";
        }
    }

    private async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken);
        if (socket is null)
        {
            return;
        }

        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            await DrainUntilClosedAsync(socket, random.Next(2) == 0, cancellationToken);
        }
        catch (SocketException)
        {
            // Closed by the node part way: what it should do to bytes that are not a preamble.
        }
    }

    // The magic, a version, ids and a token length that are each right or wrong, possibly cut short.
    private byte[] MalformedPreamble()
    {
        var preamble = new byte[32 + random.Next(0, 64)];
        random.NextBytes(preamble);
        if (random.Next(2) == 0)
        {
            "PLXS"u8.CopyTo(preamble);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(preamble.AsSpan(4), random.Next(3) == 0 ? ConnectionPreamble.CurrentVersion : (ushort)random.Next(ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(preamble.AsSpan(30), (ushort)random.Next(ushort.MaxValue));
        return preamble.AsSpan(0, random.Next(1, preamble.Length + 1)).ToArray();
    }

    private async Task PresentWrongTokenAsync(CancellationToken cancellationToken)
    {
        var wrong = Convert.ToBase64String(random.Bytes(0, 600));
        try
        {
            await using var connection = await ConnectWithPreambleAsync(wrong, random.NextULong(), cancellationToken);
            failures.Enqueue($"{target}: a preamble with a wrong token ({wrong.Length} characters) was accepted");
        }
        catch (InvalidClusterTokenException)
        {
            // Refused, as it must be.
        }
        catch (Exception e) when (e is TransportException or IOException or ConnectionClosedException)
        {
            failures.Enqueue($"{target}: a wrong token was not answered with a refusal: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task SendFramesAsync(int frames, CancellationToken cancellationToken)
    {
        var peer = random.NextULong();
        await using var connection = await TryConnectWithPreambleAsync(peer, cancellationToken);
        if (connection is null)
        {
            return;
        }

        var messages = new FuzzMessages(random, target.NodeId, peer);
        try
        {
            for (var i = 0; i < frames; i++)
            {
                await connection.Output.WriteAsync(NextFrame(messages), cancellationToken);
            }

            await connection.Output.FlushAsync(cancellationToken);
            await DrainUntilClosedAsync(connection.Input, random.Next(2) == 0, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            // The node closed this link on a bad frame: what it should do.
        }
    }

    private byte[] NextFrame(FuzzMessages messages) => random.Next(6) switch
    {
        // Cut short: a length prefix promising more than follows (the connection then ends).
        0 => Frame(random.Bytes(8, 4096), lengthDelta: random.Next(1, 1 << 20)),
        // A length beyond the frame limit, or none at all.
        1 => Length(random.Next(2) == 0 ? 0u : (uint)FrameConnectionOptions.DefaultMaxFrameBytes + 1 + (uint)random.Next(int.MaxValue)),
        2 => Frame(random.Bytes(1, 4096)),
        3 => Frame(messages.Mutated()),
        // A well-formed message of a kind a peer may not send, or with fields out of range.
        _ => Frame(messages.WellFormed()),
    };

    // Presents another node's id (linked already): the node must refuse the second link and keep the first.
    private async Task ImpersonateAsync(CancellationToken cancellationToken)
    {
        var linked = target.PeerIds[random.Next(target.PeerIds.Count)];
        await using var connection = await TryConnectWithPreambleAsync(linked, cancellationToken);
        if (connection is not null)
        {
            var messages = new FuzzMessages(random, target.NodeId, linked);
            try
            {
                await connection.Output.WriteAsync(Frame(messages.WellFormed()), cancellationToken);
                await DrainUntilClosedAsync(connection.Input, wait: false, cancellationToken);
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                // Closed by the node.
            }
        }
    }

    private static byte[] Frame(byte[] body, int lengthDelta = 0)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(body.Length + lengthDelta));
        body.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] Length(uint length)
    {
        var frame = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, length);
        return frame;
    }

    private async Task<ITransportConnection?> TryConnectWithPreambleAsync(ulong nodeId, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectWithPreambleAsync(token, nodeId, cancellationToken);
        }
        catch (Exception e) when (e is ConnectionRejectedException or TransportException or IOException or ConnectionClosedException or MalformedFrameException)
        {
            failures.Enqueue($"{target}: a preamble with the right token (as node {nodeId:x16}) was not accepted: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private async Task<ITransportConnection> ConnectWithPreambleAsync(string presented, ulong nodeId, CancellationToken cancellationToken)
    {
        var endpoint = TransportEndpoint.Tcp(target.Endpoint.Address.ToString(), target.Endpoint.Port);
        var connection = await TcpTransport.Instance.ConnectAsync(endpoint, cancellationToken);
        try
        {
            using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            answer.CancelAfter(AnswerTimeout);
            var preamble = new ConnectionPreamble(ClusterId: 0, NodeId: nodeId, Incarnation: random.NextULong(), presented);
            await PreambleExchange.ConnectAsync(connection, preamble, endpoint.ToString(), answer.Token);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(target.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.Endpoint, cancellationToken);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            failures.Enqueue($"{target}: the port no longer accepts connections: {e.SocketErrorCode}");
            return null;
        }
    }

    // Waits (bounded) until the node closes the connection, or leaves at once.
    private static async Task DrainUntilClosedAsync(Socket socket, bool wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait ? CloseWait : TimeSpan.Zero);
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Still open: closed by this side on dispose.
        }
    }

    private static async Task DrainUntilClosedAsync(System.IO.Pipelines.PipeReader input, bool wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait ? CloseWait : TimeSpan.Zero);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(deadline.Token);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
