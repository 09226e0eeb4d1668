using Google.Protobuf;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Submissions;

/// <summary>
/// The jobs submitted to the cluster and their states, written through to the
/// <see cref="IControlStore"/> (table <see cref="ControlTables.Submissions"/>) before a change is
/// visible, so a service started again over file or Redis storage lists them as before.
/// </summary>
/// <remarks>
/// States: PENDING until a node takes it (<see cref="AssignPendingAsync"/>), RUNNING on that node,
/// then SUCCEEDED (exit code 0), FAILED (another code, a driver that could not start, its node
/// died) or STOPPED (<see cref="StopAsync"/>). An ended submission never changes again, so every
/// report about it is answered, not applied. Records in the dictionary are never changed in place:
/// a change stores a copy and swaps it in. The history is bounded like the job table's: beyond
/// <c>endedKept</c> ended submissions the earliest ended are forgotten, in memory and in the store.
/// </remarks>
internal sealed class SubmissionTable(IControlStore store, int endedKept, TimeProvider time)
{
    // Serializes changes and their write-through.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Guards _records and _order for readers; held only to read or swap, never across a store call.
    private readonly Lock _lock = new();

    // The submissions by id, and their ids in submission order.
    private readonly Dictionary<string, Proto.SubmissionInfo> _records = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Raised after a change is visible (the submission's id): followers of a submission's logs wake on it.</summary>
    public event Action<string>? Changed;

    /// <summary>Raised when an ended submission is forgotten (beyond the history kept): its output can go too.</summary>
    public event Action<string>? Forgotten;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var recovered = (await store.GetAllAsync(ControlTables.Submissions, cancellationToken).ConfigureAwait(false))
            .Select(static e => Proto.SubmissionInfo.Parser.ParseFrom(e.Value))
            .OrderBy(static s => s.SubmitUnixMs)
            .ThenBy(static s => s.SubmissionId, StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var record in recovered)
            {
                _records[record.SubmissionId] = record;
                _order.Add(record.SubmissionId);
            }
        }
    }

    /// <summary>Whether some submission waits for a node.</summary>
    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _records.Values.Any(static s => s.State == Proto.SubmissionState.Pending);
            }
        }
    }

    /// <summary>The submission, or null when the table does not know it.</summary>
    public Proto.SubmissionInfo? Get(string submissionId)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault(submissionId);
        }
    }

    /// <summary>Every submission, in submission order.</summary>
    public IReadOnlyList<Proto.SubmissionInfo> List()
    {
        lock (_lock)
        {
            return [.. _order.Select(id => _records[id])];
        }
    }

    /// <summary>The RUNNING submissions of <paramref name="nodeId"/>.</summary>
    public IReadOnlyList<Proto.SubmissionInfo> RunningOn(ByteString nodeId)
    {
        lock (_lock)
        {
            return [.. _order.Select(id => _records[id]).Where(s => s.State == Proto.SubmissionState.Running && s.NodeId == nodeId)];
        }
    }

    /// <summary>Adds a PENDING submission with a new id.</summary>
    public async Task<Proto.SubmissionInfo> AddAsync(Proto.SubmitJobRequest request, CancellationToken cancellationToken)
    {
        var record = new Proto.SubmissionInfo
        {
            SubmissionId = SubmissionIds.New(),
            PackageId = request.PackageId,
            Submitter = request.Submitter,
            State = Proto.SubmissionState.Pending,
            SubmitUnixMs = Now,
        };
        record.Argv.AddRange(request.Argv);
        record.Env.Add(request.Env);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.PutAsync(ControlTables.Submissions, record.SubmissionId, record.ToByteArray(), cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _records[record.SubmissionId] = record;
                _order.Add(record.SubmissionId);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        Changed?.Invoke(record.SubmissionId);
        return record;
    }

    /// <summary>Hands every PENDING submission to <paramref name="nodeId"/>: RUNNING there from now.</summary>
    public Task AssignPendingAsync(ByteString nodeId, CancellationToken cancellationToken) =>
        ChangeEachAsync(static s => s.State == Proto.SubmissionState.Pending, (record, now) =>
        {
            record.State = Proto.SubmissionState.Running;
            record.NodeId = nodeId;
            record.StartUnixMs = now;
        }, cancellationToken);

    /// <summary>
    /// Stops a submission: a PENDING one is STOPPED at once, a RUNNING one is marked for its node to
    /// end (STOPPED once the node reports its exit); an ended one is left as it ended.
    /// </summary>
    /// <exception cref="SubmissionNotFoundException">The table does not know the submission.</exception>
    public Task<Proto.SubmissionInfo> StopAsync(string submissionId, CancellationToken cancellationToken) =>
        ChangeAsync(submissionId, (record, now) =>
        {
            if (record.State == Proto.SubmissionState.Pending)
            {
                End(record, Proto.SubmissionState.Stopped, "Stopped before a node started it.", now);
            }
            else if (record.State == Proto.SubmissionState.Running)
            {
                record.StopRequested = true;
            }
        }, cancellationToken);

    /// <summary>
    /// The driver of a RUNNING submission ended on its node: SUCCEEDED with exit code 0, STOPPED when a
    /// stop was asked, FAILED otherwise. An ended submission is answered as it is.
    /// </summary>
    /// <exception cref="SubmissionNotFoundException">The table does not know the submission.</exception>
    /// <exception cref="InvalidOperationException">Another node runs it.</exception>
    public Task<Proto.SubmissionInfo> EndAsync(Proto.ReportJobExitRequest report, CancellationToken cancellationToken) =>
        ChangeAsync(report.SubmissionId, (record, now) =>
        {
            if (record.State != Proto.SubmissionState.Running)
            {
                return;
            }

            RequireRunner(record, report.NodeId);
            record.HasExitCode = report.HasExitCode;
            record.ExitCode = report.ExitCode;
            var (state, message) = (record.StopRequested, report.HasExitCode && report.ExitCode == 0) switch
            {
                (true, _) => (Proto.SubmissionState.Stopped, "Stopped by request."),
                (false, true) => (Proto.SubmissionState.Succeeded, ""),
                _ => (Proto.SubmissionState.Failed, report.Message.Length > 0 ? report.Message : $"The driver exited with code {report.ExitCode}."),
            };
            End(record, state, message, now);
        }, cancellationToken);

    /// <summary>The submissions RUNNING on a node that died fail (or are STOPPED when a stop was asked) with <paramref name="reason"/>.</summary>
    public Task NodeDiedAsync(ByteString nodeId, string reason, CancellationToken cancellationToken) =>
        ChangeEachAsync(s => s.State == Proto.SubmissionState.Running && s.NodeId == nodeId, (record, now) =>
            End(record, record.StopRequested ? Proto.SubmissionState.Stopped : Proto.SubmissionState.Failed, reason, now), cancellationToken);

    /// <summary>Names the job the submission's driver registered; a submission linked before keeps its job.</summary>
    /// <exception cref="SubmissionNotFoundException">The table does not know the submission.</exception>
    public Task<Proto.SubmissionInfo> LinkJobAsync(string submissionId, ByteString jobId, CancellationToken cancellationToken) =>
        ChangeAsync(submissionId, (record, _) =>
        {
            if (record.JobId.IsEmpty)
            {
                record.JobId = jobId;
            }
        }, cancellationToken);

    /// <summary>Throws unless <paramref name="nodeId"/> runs the submission (RUNNING there).</summary>
    /// <exception cref="InvalidOperationException">The submission is not RUNNING on that node.</exception>
    public static void RequireRunner(Proto.SubmissionInfo record, ByteString nodeId)
    {
        if (record.State != Proto.SubmissionState.Running || record.NodeId != nodeId)
        {
            throw new InvalidOperationException(
                $"Submission {record.SubmissionId} is {record.State} on node {Convert.ToHexStringLower(record.NodeId.Span)}, not running on node {Convert.ToHexStringLower(nodeId.Span)}: that node's driver output and exit are not taken.");
        }
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static void End(Proto.SubmissionInfo record, Proto.SubmissionState state, string message, long now)
    {
        record.State = state;
        record.Message = message;
        record.EndUnixMs = now;
    }

    /// <summary>Whether the submission ended (SUCCEEDED, FAILED or STOPPED): it never changes again.</summary>
    public static bool HasEnded(Proto.SubmissionInfo record) =>
        record.State is Proto.SubmissionState.Succeeded or Proto.SubmissionState.Failed or Proto.SubmissionState.Stopped;

    private async Task<Proto.SubmissionInfo> ChangeAsync(string submissionId, Action<Proto.SubmissionInfo, long> change, CancellationToken cancellationToken)
    {
        Proto.SubmissionInfo record;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Get(submissionId) ?? throw SubmissionNotFoundException.For(submissionId);
            record = current.Clone();
            change(record, Now);
            if (record.Equals(current))
            {
                return current;
            }

            await PutAsync(record, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        Changed?.Invoke(submissionId);
        return record;
    }

    private async Task ChangeEachAsync(Func<Proto.SubmissionInfo, bool> which, Action<Proto.SubmissionInfo, long> change, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var current in List().Where(which))
            {
                var record = current.Clone();
                change(record, Now);
                await PutAsync(record, cancellationToken).ConfigureAwait(false);
                changed.Add(record.SubmissionId);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        foreach (var id in changed)
        {
            Changed?.Invoke(id);
        }
    }

    // Under _writeLock. Store first, then memory; then the earliest ended beyond the cap are forgotten.
    private async Task PutAsync(Proto.SubmissionInfo record, CancellationToken cancellationToken)
    {
        await store.PutAsync(ControlTables.Submissions, record.SubmissionId, record.ToByteArray(), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _records[record.SubmissionId] = record;
        }

        if (HasEnded(record))
        {
            // The change is made: the caller giving up now must not make it look failed.
            await ForgetOldEndedAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Under _writeLock.
    private async Task ForgetOldEndedAsync(CancellationToken cancellationToken)
    {
        while (OldestEndedBeyondCap() is { } id)
        {
            await store.DeleteAsync(ControlTables.Submissions, id, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _records.Remove(id);
                _order.Remove(id);
            }

            Forgotten?.Invoke(id);
        }
    }

    private string? OldestEndedBeyondCap()
    {
        lock (_lock)
        {
            var ended = _records.Values.Where(HasEnded).ToList();
            return ended.Count > endedKept
                ? ended.OrderBy(static s => s.EndUnixMs).ThenBy(static s => s.SubmissionId, StringComparer.Ordinal).First().SubmissionId
                : null;
        }
    }
}
