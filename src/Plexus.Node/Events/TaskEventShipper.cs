using Microsoft.Extensions.Logging;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Node;

/// <summary>
/// Reports a node's task events and workers to the control service about once a second
/// (<c>PlexusState.ReportTaskEvents</c>), through <c>report</c>: a gRPC call on a cluster's node,
/// a method call in the embedded cluster, in parts (<see cref="TaskEventReports.ToRequests"/>). A
/// report that fails (the head is down or restarting) is logged and its events not yet sent are
/// lost; the next one carries on, so the task table misses steps but never stops a node.
/// Disposing it sends what is left once more.
/// </summary>
internal sealed class TaskEventShipper : IAsyncDisposable
{
    /// <summary>How often a node reports, by default.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly NodeDaemon _node;
    private readonly Func<Proto.ReportTaskEventsRequest, CancellationToken, Task> _report;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _running;
    // Whether the last report failed: a service that stays down is logged once, not every second.
    private bool _failing;
    // The reports' scratch for folding steps, made once: a request's worth is a large-object array (TaskEventReports.ToRequests).
    private readonly Dictionary<TaskId, TaskEventReports.OpenEvent> _open = new(TaskEventReports.EventsPerRequest);

    public TaskEventShipper(
        NodeDaemon node, Func<Proto.ReportTaskEventsRequest, CancellationToken, Task> report, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _node = node;
        _report = report;
        _logger = logger;
        _running = RunAsync(interval, time);
    }

    /// <summary>Takes the node's events and workers now and reports them.</summary>
    public async Task ReportNowAsync(CancellationToken cancellationToken)
    {
        using var batch = _node.TakeTaskEvents();
        foreach (var request in TaskEventReports.ToRequests(_node.NodeId, batch, _open))
        {
            await _report(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await TryReportAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task TryReportAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReportNowAsync(cancellationToken).ConfigureAwait(false);
            _failing = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_failing)
            {
                _logger.TaskEventsNotReported(e.Message);
            }

            _failing = true;
        }
    }

    /// <summary>Stops reporting, after one last report of what is left (failures ignored, at most 5 s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await TryReportAsync(last.Token).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
