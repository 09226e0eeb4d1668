using Plexus.Protocol.Messages;

namespace Plexus.Node;

internal sealed partial class NodeDaemon
{
    /// <summary>
    /// Asks every runtime on this node (drivers and workers) for a summary of its reference table
    /// listing at most <paramref name="largest"/> entries, and waits for their answers in parallel
    /// until <paramref name="deadline"/>: a runtime that has not answered by then (busy, stuck, or
    /// exiting) is in the result with no summary. What the state API asks a node for when a
    /// listing includes the objects owners hold; nothing is asked or kept otherwise.
    /// </summary>
    internal async Task<IReadOnlyList<ProcessReferences>> SummarizeReferencesAsync(int largest, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(largest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(largest, SummarizeReferences.MaxLargest);
        var asked = new List<(int Process, int Pid, bool IsDriver, long RequestId, Task<ReferenceSummary?> Answer)>();
        var outbox = _processes.NewOutbox();
        lock (_lock)
        {
            foreach (var process in _processes.Connected)
            {
                var (requestId, answer) = _referenceSummaries.Open(process);
                outbox.Add(process, new SummarizeReferences { Target = _addresses.Of(process), Source = _address, RequestId = requestId, Largest = largest });
                asked.Add((process, PidOf(process), _processes.IsDriver(process, out _), requestId, answer));
            }
        }

        outbox.Flush();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        var results = new List<ProcessReferences>(asked.Count);
        foreach (var (process, pid, isDriver, requestId, answer) in asked)
        {
            ReferenceSummary? summary;
            try
            {
                summary = await answer.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                summary = null;
            }
            finally
            {
                _referenceSummaries.Close(requestId);
            }

            results.Add(new ProcessReferences(process, pid, isDriver, summary));
        }

        return results;
    }
}

/// <summary>One runtime's answer to <see cref="NodeDaemon.SummarizeReferencesAsync"/>: null <paramref name="Summary"/> when it did not answer in time.</summary>
internal sealed record ProcessReferences(int Process, int Pid, bool IsDriver, ReferenceSummary? Summary);
