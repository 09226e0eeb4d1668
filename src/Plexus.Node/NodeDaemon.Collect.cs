using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Collections the driver asks for (<c>PlexusRuntime.CollectGarbageAsync</c>), besides the
/// pressure loop's own rounds: every runtime collects garbage and releases the handles it dropped.
/// </summary>
public sealed partial class NodeDaemon
{
    // Runtimes that do not answer are not waited for longer than this.
    private static readonly TimeSpan RequestedRoundDeadline = TimeSpan.FromSeconds(10);

    // Rounds asked for and not yet over (guarded by _lock).
    private readonly List<PressureRound> _requestedRounds = [];

    /// <summary>The process numbers of the connected workers.</summary>
    public IReadOnlyList<int> WorkerProcesses => Locked(() => _dispatcher.Workers.Keys.ToList());

    /// <summary>The process number of the worker whose operating-system process id is <paramref name="pid"/>; -1 if none.</summary>
    public int WorkerProcessOfPid(int pid) =>
        Locked(() => _dispatcher.Workers.Where(w => w.Value.OsProcess?.Id == pid).Select(w => w.Key).DefaultIfEmpty(-1).First());

    /// <summary>Asks every runtime on the node to collect garbage; completes once all have sent their releases (or after a deadline).</summary>
    public async Task CollectGarbageAsync()
    {
        var outbox = NewOutbox();
        PressureRound round;
        lock (_lock)
        {
            round = new PressureRound(++_roundNumber, _links.Keys);
            foreach (var link in _links.Values)
            {
                outbox.Add(link, new CollectGarbage { Round = round.Number });
            }

            round.CompleteIfNobodyWaits();
            _requestedRounds.Add(round);
        }

        outbox.Flush();
        await Task.WhenAny(round.Done.Task, Task.Delay(RequestedRoundDeadline)).ConfigureAwait(false);
        lock (_lock)
        {
            _requestedRounds.Remove(round);
        }
    }

    // A runtime answered a round, or died: requested rounds stop waiting for it.
    private void AnswerRequestedRounds(int process, long? roundNumber)
    {
        foreach (var round in _requestedRounds)
        {
            if (roundNumber is null || round.Number == roundNumber)
            {
                round.Answered(process);
            }
        }
    }
}
