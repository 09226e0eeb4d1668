using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Jobs;

/// <summary>
/// The cluster's jobs. Every change is written to the <see cref="IControlStore"/> before it is
/// visible, under one lock, so the store and the cache agree on order.
/// </summary>
internal sealed class JobTable
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Job id (lower-case hex) -> entry. Records are never mutated; a change replaces the entry.
    private readonly ConcurrentDictionary<string, JobEntry> _jobs = new(StringComparer.Ordinal);

    // Serializes changes and their write-through.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // The StartSequence of the latest registered (or recovered) job; guarded by _writeLock.
    private long _lastStartSequence;

    public JobTable(IControlStore store, TimeProvider time, ILogger<JobTable> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var recovered = (await _store.GetAllAsync(ControlTables.Jobs, cancellationToken))
            .Select(static e => (e.Key, Record: Proto.JobInfo.Parser.ParseFrom(e.Value)))
            .OrderBy(static e => e.Record.StartUnixMs)
            .ThenBy(static e => e.Key, StringComparer.Ordinal);
        foreach (var (key, record) in recovered)
        {
            _jobs[key] = new JobEntry(++_lastStartSequence, record);
        }
    }

    /// <summary>
    /// Adds a RUNNING job. Registering the same job id again from the same driver is a no-op, so a
    /// retried call after a lost reply is harmless; from another driver it throws
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public async Task RegisterAsync(Proto.RegisterJobRequest request, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(request.JobId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_jobs.TryGetValue(key, out var entry))
            {
                var existing = entry.Record;
                if (existing.DriverPid == request.DriverPid && existing.Namespace == request.Namespace)
                {
                    return;
                }

                throw new InvalidOperationException(
                    $"job {key} is already registered by driver pid {existing.DriverPid} in namespace '{existing.Namespace}'");
            }

            var record = new Proto.JobInfo
            {
                JobId = request.JobId,
                DriverPid = request.DriverPid,
                Namespace = request.Namespace,
                Entry = request.Entry,
                State = Proto.JobState.Running,
                StartUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await _store.PutAsync(ControlTables.Jobs, key, record.ToByteArray(), cancellationToken);
            _jobs[key] = new JobEntry(++_lastStartSequence, record);
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.JobRegistered(_logger, key, request.Namespace, request.DriverPid);
    }

    /// <summary>Marks a job FINISHED. Idempotent; throws <see cref="InvalidOperationException"/> for a job never registered.</summary>
    public async Task FinishAsync(ByteString jobId, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(jobId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_jobs.TryGetValue(key, out var existing))
            {
                throw new InvalidOperationException($"job {key} is not registered");
            }

            if (existing.Record.State == Proto.JobState.Finished)
            {
                return;
            }

            var record = existing.Record.Clone();
            record.State = Proto.JobState.Finished;
            record.EndUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await _store.PutAsync(ControlTables.Jobs, key, record.ToByteArray(), cancellationToken);
            _jobs[key] = existing with { Record = record };
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.JobFinished(_logger, key);
    }

    public Proto.ListJobsReply List()
    {
        var reply = new Proto.ListJobsReply();
        reply.Jobs.AddRange(_jobs.Values.OrderBy(static j => j.StartSequence).Select(static j => j.Record.Clone()));
        return reply;
    }

    /// <param name="StartSequence">
    /// Orders jobs by start. The start time has millisecond resolution, so two jobs starting
    /// within a millisecond would otherwise be listed in no defined order.
    /// </param>
    /// <param name="Record">The persisted record.</param>
    private sealed record JobEntry(long StartSequence, Proto.JobInfo Record);
}
