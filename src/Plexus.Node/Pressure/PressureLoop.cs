using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// The store's pressure loop, one per node, so at most one round and one spill pass run at a
/// time: it asks the <see cref="PressureController"/> for the next step under the node's lock, and
/// outside the lock waits (for a round, a wake or a timeout) and writes spill files. It runs on
/// its own, so it takes the node's lock itself, for each step. Waits run on the node's
/// <see cref="TimeProvider"/>.
/// </summary>
internal sealed class PressureLoop(
    object nodeLock, PressureController controller, WakeSignal wake, ProcessTable processes, LocalObjectStore store, SpillDirectory spills,
    TimeProvider time, ILogger logger)
{
    /// <summary>Runs until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var faulted = false;
            try
            {
                await StepAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A fault in the loop itself: creates still time out on the next turn.
                logger.PressureLoopFailed(e);
                faulted = true;
            }

            if (faulted)
            {
                try
                {
                    await Task.Delay(PressureController.SpillRetryDelay, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task StepAsync(CancellationToken stopping)
    {
        var outbox = processes.NewOutbox();
        PressureController.Step step;
        lock (nodeLock)
        {
            step = controller.NextStep(outbox);
        }

        outbox.Flush();
        if (step.Round is { } round)
        {
            try
            {
                await round.Done.Task.WaitAsync(PressureController.RoundDeadline, time, stopping).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Some runtime did not answer in time: go on without it.
            }

            outbox = processes.NewOutbox();
            lock (nodeLock)
            {
                controller.EndRound(round, outbox);
            }

            outbox.Flush();
        }
        else if (step.Victims is { } victims)
        {
            Spill(victims);
        }
        else
        {
            await wake.WaitAsync(step.Wait, stopping).ConfigureAwait(false);
        }
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
            var started = time.GetTimestamp();
            file = SpillFile.Write(spills, store.Arena, ranges);
            writeTime = time.GetElapsedTime(started);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
            logger.SpillFailed(victims.Count, ranges.Sum(r => r.Size), spills.Path, e.Message);
        }

        var outbox = processes.NewOutbox();
        lock (nodeLock)
        {
            controller.EndSpill(victims, file, failure, writeTime, outbox);
        }

        outbox.Flush();
    }
}
