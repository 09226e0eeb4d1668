using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Node;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Hosting;

/// <summary>
/// Answers what the control service asks of this node: a long poll (<c>TakeNodeRequests</c>) that
/// returns as soon as someone asks, each request answered with <c>AnswerNodeRequest</c> — a log
/// read from the node's log directory, or a summary of what its processes' reference tables hold.
/// The node needs no port of its own, and nothing is read or asked of its processes unless
/// someone asks. A service that cannot be reached is logged once and asked again a second later.
/// </summary>
internal sealed class NodeRequestServer : IAsyncDisposable
{
    /// <summary>
    /// How long the node waits for its processes' reference summaries: well under the service's
    /// wait for the node (<c>NodeRequests.AnswerTimeout</c>, 4 s), so a process that does not
    /// answer is reported as such rather than making the whole node silent.
    /// </summary>
    public static readonly TimeSpan ProcessDeadline = TimeSpan.FromSeconds(2);

    // Under the control client's call timeout (10 s), so an idle poll ends as an empty answer, not an error.
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IControlClient _control;
    private readonly byte[] _nodeId;
    // The node's log files; null where its processes write none (an embedded cluster's).
    private readonly NodeLogDirectory? _logs;
    // The node whose processes are asked for their references; null where there is none to ask.
    private readonly NodeDaemon? _node;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _running;

    public NodeRequestServer(IControlClient control, byte[] nodeId, NodeLogDirectory? logs, NodeDaemon? node, ILogger logger)
    {
        _control = control;
        _nodeId = nodeId;
        _logs = logs;
        _node = node;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    /// <summary>The answer to one log request, from the files: a listing when it names no file.</summary>
    public static Proto.ReadNodeLogReply ReadLog(NodeLogDirectory directory, Proto.LogRequest request)
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

        return reply;
    }

    private async Task<Proto.AnswerNodeRequestRequest> AnswerAsync(Proto.NodeRequest request)
    {
        var answer = new Proto.AnswerNodeRequestRequest { NodeId = ByteString.CopyFrom(_nodeId), RequestId = request.RequestId };
        try
        {
            switch (request.KindCase)
            {
                case Proto.NodeRequest.KindOneofCase.Log when _logs is not null:
                    answer.Log = ReadLog(_logs, request.Log);
                    break;
                case Proto.NodeRequest.KindOneofCase.References when _node is not null:
                    var largest = Math.Clamp(request.References.Largest, 0, Protocol.Messages.SummarizeReferences.MaxLargest);
                    var processes = await _node.SummarizeReferencesAsync(largest, ProcessDeadline, _stopping.Token).ConfigureAwait(false);
                    answer.References = ReferenceReports.ToMessage(_node.NodeId, processes);
                    break;
                default:
                    answer.Error = $"this node does not answer {request.KindCase} requests (it keeps no log files, or has no processes to ask)";
                    break;
            }
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
                foreach (var request in await _control.TakeNodeRequestsAsync(_nodeId, PollWait, _stopping.Token).ConfigureAwait(false))
                {
                    await _control.AnswerNodeRequestAsync(await AnswerAsync(request).ConfigureAwait(false), _stopping.Token).ConfigureAwait(false);
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
                    _logger.LogWarning("This node cannot answer the control service's requests (log files, held objects) now ({Reason}); it keeps trying", e.Message);
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
