using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Node;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Cluster.Logs;

/// <summary>
/// Serves the node's log directory to the control service: a long poll (<c>TakeLogRequests</c>)
/// that returns as soon as someone asks for this node's logs, each request answered from the
/// files (<c>AnswerLogRequest</c>). The node needs no port of its own, and nothing is read unless
/// asked. A service that cannot be reached is logged once and asked again a second later.
/// </summary>
internal sealed class NodeLogServer : IAsyncDisposable
{
    // Under the control client's call timeout (10 s), so an idle poll ends as an empty answer, not an error.
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IControlClient _control;
    private readonly byte[] _nodeId;
    private readonly NodeLogDirectory _directory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _running;

    public NodeLogServer(IControlClient control, byte[] nodeId, NodeLogDirectory directory, ILogger logger)
    {
        _control = control;
        _nodeId = nodeId;
        _directory = directory;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    /// <summary>The answer to one request, from the files: a listing when it names no file.</summary>
    public static Proto.AnswerLogRequestRequest Answer(NodeLogDirectory directory, byte[] nodeId, Proto.LogRequest request)
    {
        var answer = new Proto.AnswerLogRequestRequest { NodeId = ByteString.CopyFrom(nodeId), RequestId = request.RequestId };
        try
        {
            var reply = new Proto.ReadNodeLogReply();
            if (request.File.Length == 0)
            {
                reply.Files.AddRange(directory.List().Select(f => new Proto.LogFileInfo
                {
                    Name = f.Name,
                    Size = f.Size,
                    ModifiedUnixMicros = (f.ModifiedUtc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond,
                }));
            }
            else
            {
                var range = directory.Read(request.File, request.Offset, Math.Max(1, request.MaxBytes));
                reply.Data = ByteString.CopyFrom(range.Data);
                reply.Offset = range.Offset;
                reply.Size = range.Size;
            }

            answer.Reply = reply;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            answer.Error = e.Message;
        }

        return answer;
    }

    private async Task RunAsync()
    {
        var failing = false;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                foreach (var request in await _control.TakeLogRequestsAsync(_nodeId, PollWait, _stopping.Token).ConfigureAwait(false))
                {
                    await _control.AnswerLogRequestAsync(Answer(_directory, _nodeId, request), _stopping.Token).ConfigureAwait(false);
                }

                failing = false;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    _logger.LogWarning("This node cannot serve its log files to the control service now ({Reason}); it keeps trying", e.Message);
                }

                failing = true;
                try
                {
                    await Task.Delay(RetryDelay, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
