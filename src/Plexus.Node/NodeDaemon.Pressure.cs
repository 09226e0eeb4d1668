using System.Diagnostics;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The store's pressure loop: when requests wait for room or usage passes high water, it first
/// asks every runtime to collect garbage (a round), then spills least-recently-used objects to
/// disk (first those whose spill copy was kept, which needs no write); it also times out creates
/// that waited too long. One loop per node, so at most one round and one spill pass run at a time.
/// Disk I/O runs outside the node's lock.
/// </summary>
public sealed partial class NodeDaemon
{
    // How long a round waits for runtimes that do not answer: rounds help, but progress never depends on them.
    private static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(1);
    // Rounds started by high water alone are this far apart, so a busy store does not cause a collection storm.
    private static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(50);
    // After a failed spill (disk full, permissions), the next pass waits this long.
    private static readonly TimeSpan SpillRetryDelay = TimeSpan.FromSeconds(1);
    // One spill pass writes at most this much into one file (a larger object goes alone).
    private const long MaxSpillFileBytes = 256L << 20;

    private readonly record struct PressureStep(PressureRound? Round, List<StoredObject>? Victims, TimeSpan? Wait);

    private async Task RelievePressureAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            var faulted = false;
            try
            {
                var outbox = NewOutbox();
                PressureStep step;
                lock (_lock)
                {
                    step = NextPressureStep(outbox);
                }

                outbox.Flush();
                if (step.Round is { } round)
                {
                    try
                    {
                        await round.Done.Task.WaitAsync(RoundDeadline, stopping).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // Some runtime did not answer in time: go on without it.
                    }

                    EndRound(round);
                }
                else if (step.Victims is { } victims)
                {
                    Spill(victims);
                }
                else
                {
                    await _wake.WaitAsync(step.Wait, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A fault in the loop itself: creates still time out on the next turn.
                _logger.PressureLoopFailed(e);
                faulted = true;
            }

            if (faulted)
            {
                try
                {
                    await Task.Delay(SpillRetryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private PressureStep NextPressureStep(Outbox outbox)
    {
        if (_disposed)
        {
            return new PressureStep(null, null, null);
        }

        _objects.ExpireWaits(outbox, DescribePins);
        var untilTimeout = _objects.UntilNextTimeout();
        if (!_objects.UnderPressure)
        {
            _objects.RoundWanted = false;
            return new PressureStep(null, null, untilTimeout);
        }

        if (_objects.RoundWanted)
        {
            var sinceLast = Stopwatch.GetElapsedTime(_lastRoundEnded);
            if (!_objects.HasWaiters && sinceLast < RoundInterval)
            {
                return new PressureStep(null, null, Min(untilTimeout, RoundInterval - sinceLast));
            }

            _objects.RoundWanted = false;
            var round = new PressureRound(++_roundNumber, _links.Keys);
            foreach (var link in _links.Values)
            {
                outbox.Add(link, new CollectGarbage { Round = round.Number });
            }

            round.CompleteIfNobodyWaits();
            _round = round;
            return new PressureStep(round, null, null);
        }

        var untilRetry = _spillRetryAt - Stopwatch.GetTimestamp();
        if (untilRetry > 0)
        {
            return new PressureStep(null, null, Min(untilTimeout, Stopwatch.GetElapsedTime(0, untilRetry)));
        }

        var plan = _objects.PlanSpill(MaxSpillFileBytes, outbox);
        if (plan.Writes is { } victims)
        {
            return new PressureStep(null, victims, null);
        }

        // Evicting kept copies freed memory: look again at once, as after a spill pass (a request may
        // still not fit in one range). Else nothing can be spilled (all pinned or being written):
        // wait for a free, an unpin, or a timeout.
        return new PressureStep(null, null, plan.EvictedBytes > 0 ? TimeSpan.Zero : untilTimeout);
    }

    private void EndRound(PressureRound round)
    {
        var outbox = NewOutbox();
        lock (_lock)
        {
            _logger.RoundEnded(round.Number, round.Waiting.Count);
            _round = null;
            _lastRoundEnded = Stopwatch.GetTimestamp();
            // Requests that began waiting during the round had its frees too: next comes spilling, not another round.
            _objects.RoundWanted = false;
            _objects.Serve(outbox);
        }

        outbox.Flush();
    }

    /// <summary>Writes the victims to one file outside the lock (they are protected as Spilling), then lets go of their memory.</summary>
    private void Spill(List<StoredObject> victims)
    {
        // Victims do not move while Spilling, so their ranges can be read without the lock.
        var ranges = victims.Select(v => (v.Offset, v.Size)).ToList();
        SpillFile? file = null;
        string? failure = null;
        var writeTime = TimeSpan.Zero;
        try
        {
            var started = Stopwatch.GetTimestamp();
            file = SpillFile.Write(_spills, _store.Arena, ranges);
            writeTime = Stopwatch.GetElapsedTime(started);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
            _logger.SpillFailed(victims.Count, ranges.Sum(r => r.Size), _spills.Path, e.Message);
        }

        var outbox = NewOutbox();
        lock (_lock)
        {
            var spilled = _objects.CompleteSpill(victims, file, outbox);
            _spills.SpillTime += writeTime;
            _objects.LastSpillFailure = failure;
            if (failure is not null)
            {
                _spillRetryAt = Stopwatch.GetTimestamp() + (long)(SpillRetryDelay.TotalSeconds * Stopwatch.Frequency);
            }
            else
            {
                _logger.SpillPassDone(victims.Count(v => v.State == StoredObjectState.Spilled), spilled, file!.Path,
                    victims.Count(v => v.State != StoredObjectState.Spilled));
            }
        }

        outbox.Flush();
    }

    /// <summary>Starts reading a spilled object back into its new range; called outside the lock (through the outbox).</summary>
    private void StartRestore(StoredObject stored)
    {
        var outbox = NewOutbox();
        lock (_lock)
        {
            if (_disposed)
            {
                // The arena is about to be unmapped: no I/O into it now.
                _objects.CompleteRestore(stored, "the node is shutting down", outbox);
            }
            else
            {
                StartRestoreLocked(stored);
            }
        }

        outbox.Flush();
    }

    // Under the lock: the task is tracked before it can finish (its last step takes the lock), so dispose waits for it.
    private void StartRestoreLocked(StoredObject stored)
    {
        var restore = Task.Run(() => Restore(stored));
        _restoring.Add(restore);
        _ = restore.ContinueWith(done =>
        {
            lock (_lock)
            {
                _restoring.Remove(done);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Restore(StoredObject stored)
    {
        // The range and file offset do not change while Restoring.
        string? failure = null;
        var readTime = TimeSpan.Zero;
        try
        {
            var started = Stopwatch.GetTimestamp();
            stored.File!.Read(stored.FileOffset, _store.Arena, stored.Offset, stored.Size);
            readTime = Stopwatch.GetElapsedTime(started);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            failure = e.Message;
            _logger.RestoreFailed(stored.Id, stored.Size, stored.File!.Path, e.Message);
        }

        var outbox = NewOutbox();
        lock (_lock)
        {
            _objects.CompleteRestore(stored, failure, outbox);
            _spills.RestoreTime += readTime;
        }

        outbox.Flush();
    }

    private void OnCollectDone(int from, CollectDone done)
    {
        if (_round is { } round && round.Number == done.Round)
        {
            round.Answered(from);
        }

        AnswerRequestedRounds(from, done.Round);
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
