using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// What the store does under memory pressure, one step at a time: when requests wait for room or
/// usage passes high water, it first asks every runtime to collect garbage (a round), then spills
/// least-recently-used objects to disk (first those whose spill copy was kept, which needs no
/// write); it also times out creates that waited too long, and after a failed spill waits before
/// the next. It also keeps the rounds the driver asks for (<c>PlexusRuntime.CollectGarbageAsync</c>).
/// Called under the node's lock by the <see cref="PressureLoop"/>, which waits and does the I/O
/// outside it; time is the node's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class PressureController(
    NodeObjectStore objects, ProcessTable processes, SpillDirectory spills, Func<string> describePins, TimeProvider time, ILogger logger)
{
    /// <summary>How long a round waits for runtimes that do not answer: rounds help, but progress never depends on them.</summary>
    public static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(1);

    /// <summary>How long a round the driver asked for waits for runtimes that do not answer.</summary>
    public static readonly TimeSpan RequestedRoundDeadline = TimeSpan.FromSeconds(10);

    /// <summary>After a failed spill (disk full, permissions), or a fault in the loop, the next pass waits this long.</summary>
    public static readonly TimeSpan SpillRetryDelay = TimeSpan.FromSeconds(1);

    // Rounds started by high water alone are this far apart, so a busy store does not cause a collection storm.
    private static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(50);
    // One spill pass writes at most this much into one file (a larger object goes alone).
    private const long MaxSpillFileBytes = 256L << 20;

    // Rounds the driver asked for and not yet over.
    private readonly List<PressureRound> _requestedRounds = [];
    // The pressure round under way, if any, and the number of the last round started (of either kind).
    private PressureRound? _round;
    private long _roundNumber;
    // Timestamps of the node's clock: when the last pressure round ended; before when no spill pass may start (after a failure).
    private long _lastRoundEnded;
    private long _spillRetryAt;
    // Set when the node stops: no round or spill starts any more.
    private bool _stopped;

    /// <summary>What the loop does next: wait for a round, write the victims, or wait for a wake (at most Wait; forever when null).</summary>
    public readonly record struct Step(PressureRound? Round, List<StoredObject>? Victims, TimeSpan? Wait);

    public Step NextStep(Outbox outbox)
    {
        if (_stopped)
        {
            return new Step(null, null, null);
        }

        objects.ExpireWaits(outbox, describePins);
        var untilTimeout = objects.UntilNextTimeout();
        if (!objects.UnderPressure)
        {
            objects.RoundWanted = false;
            return new Step(null, null, untilTimeout);
        }

        if (objects.RoundWanted)
        {
            var sinceLast = time.GetElapsedTime(_lastRoundEnded);
            if (!objects.HasWaiters && sinceLast < RoundInterval)
            {
                return new Step(null, null, Min(untilTimeout, RoundInterval - sinceLast));
            }

            objects.RoundWanted = false;
            _round = StartRound(outbox);
            return new Step(_round, null, null);
        }

        var untilRetry = time.GetElapsedTime(time.GetTimestamp(), _spillRetryAt);
        if (untilRetry > TimeSpan.Zero)
        {
            return new Step(null, null, Min(untilTimeout, untilRetry));
        }

        var plan = objects.PlanSpill(MaxSpillFileBytes, outbox);
        if (plan.Writes is { } victims)
        {
            return new Step(null, victims, null);
        }

        // Evicting kept copies freed memory: look again at once, as after a spill pass (a request may
        // still not fit in one range). Else nothing can be spilled (all pinned or being written):
        // wait for a free, an unpin, or a timeout.
        return new Step(null, null, plan.EvictedBytes > 0 ? TimeSpan.Zero : untilTimeout);
    }

    /// <summary>The round ended (all answered, or its deadline passed): waiting requests get what it freed.</summary>
    public void EndRound(PressureRound round, Outbox outbox)
    {
        logger.RoundEnded(round.Number, round.Waiting.Count);
        _round = null;
        _lastRoundEnded = time.GetTimestamp();
        // Requests that began waiting during the round had its frees too: next comes spilling, not another round.
        objects.RoundWanted = false;
        objects.Serve(outbox);
    }

    /// <summary>A spill pass wrote its victims to <paramref name="file"/> (null when the write failed, and why).</summary>
    public void EndSpill(List<StoredObject> victims, SpillFile? file, string? failure, TimeSpan writeTime, Outbox outbox)
    {
        var spilled = objects.CompleteSpill(victims, file, outbox);
        spills.SpillTime += writeTime;
        objects.LastSpillFailure = failure;
        if (failure is not null)
        {
            _spillRetryAt = time.GetTimestamp() + (long)(SpillRetryDelay.TotalSeconds * time.TimestampFrequency);
        }
        else
        {
            logger.SpillPassDone(victims.Count(v => v.State == StoredObjectState.Spilled), spilled, file!.Path,
                victims.Count(v => v.State != StoredObjectState.Spilled));
        }
    }

    /// <summary>A round the driver asked for: every runtime is asked to collect; the caller waits for it (up to <see cref="RequestedRoundDeadline"/>), then ends it.</summary>
    public PressureRound StartRequestedRound(Outbox outbox)
    {
        var round = StartRound(outbox);
        _requestedRounds.Add(round);
        return round;
    }

    public void EndRequestedRound(PressureRound round) => _requestedRounds.Remove(round);

    /// <summary>A runtime answered a round.</summary>
    public void OnCollectDone(int from, long roundNumber)
    {
        if (_round is { } round && round.Number == roundNumber)
        {
            round.Answered(from);
        }

        foreach (var requested in _requestedRounds.Where(r => r.Number == roundNumber))
        {
            requested.Answered(from);
        }
    }

    /// <summary>A process exited: no round waits for it.</summary>
    public void OnProcessExited(int process)
    {
        _round?.Answered(process);
        foreach (var requested in _requestedRounds)
        {
            requested.Answered(process);
        }
    }

    /// <summary>The node stops: the loop has nothing more to do.</summary>
    public void Stop() => _stopped = true;

    private PressureRound StartRound(Outbox outbox)
    {
        var round = new PressureRound(++_roundNumber, processes.Connected);
        foreach (var link in processes.Links)
        {
            outbox.Add(link, new CollectGarbage { Round = round.Number });
        }

        round.CompleteIfNobodyWaits();
        return round;
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
