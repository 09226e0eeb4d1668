using System.IO.Pipelines;
using System.Net.Sockets;

namespace Plexus.Protocol.Transport;

/// <summary>A connected stream socket (Unix or TCP) seen as a pair of pipes.</summary>
internal sealed class SocketConnection : ITransportConnection
{
    // Reads fill 64 KiB at a time; a write of a batch below that is one send.
    private const int BufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    // 1 once disposed: the connection is disposed both by a send that overflowed and by its owner.
    private int _disposed;

    public SocketConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: BufferSize, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: BufferSize, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    // A read in progress ends as cancelled rather than failing on the disposed socket.
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        Input.CancelPendingRead();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
