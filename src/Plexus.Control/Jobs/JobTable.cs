using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Jobs;

/// <summary>
/// The cluster's jobs. Every change is written to the <see cref="IControlStore"/> before it is
/// visible, under one lock, so the store and the cache agree on order. Readers poll for changes
/// (<see cref="List"/> with the revision they have seen), and the history of finished jobs is
/// capped: beyond the most recent ones kept, the earliest finished are forgotten, in memory and in
/// the store. Running jobs are never forgotten.
/// </summary>
internal sealed class JobTable
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // How many finished jobs the table remembers.
    private readonly int _finishedJobsKept;

    // The jobs in memory; changed only under _writeLock, after the store.
    private readonly JobIndex _index = new();

    // Serializes changes and their write-through.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public JobTable(IControlStore store, int finishedJobsKept, TimeProvider time, ILogger<JobTable> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(finishedJobsKept, 1);
        _store = store;
        _finishedJobsKept = finishedJobsKept;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Random and never 0 (a reader's "no revision yet"), drawn per table: a restarted service
    /// numbers its revisions afresh from what it recovers, so a revision only means something
    /// with the incarnation that gave it.
    /// </summary>
    public ulong Incarnation { get; } = Math.Max(1, BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong))));

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var recovered = (await _store.GetAllAsync(ControlTables.Jobs, cancellationToken))
            .Select(static e => (e.Key, Record: Proto.JobInfo.Parser.ParseFrom(e.Value)))
            .OrderBy(static e => e.Record.StartUnixMs)
            .ThenBy(static e => e.Key, StringComparer.Ordinal);
        _index.Load(recovered);

        // The cap may have been lowered since the store was written.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await ForgetOldFinishedJobsAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
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
            if (_index.TryGet(key, out var existing))
            {
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
            _index.Put(key, record);
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.JobRegistered(_logger, key, request.Namespace, request.DriverPid);
    }

    /// <summary>
    /// Marks a job FINISHED, then forgets the earliest finished jobs beyond the cap. Idempotent;
    /// throws <see cref="InvalidOperationException"/> for a job never registered (or forgotten).
    /// </summary>
    public async Task FinishAsync(ByteString jobId, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexStringLower(jobId.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_index.TryGet(key, out var existing))
            {
                throw new InvalidOperationException($"job {key} is not registered, or it finished long enough ago that the job table forgot it");
            }

            if (existing.State == Proto.JobState.Finished)
            {
                return;
            }

            var record = existing.Clone();
            record.State = Proto.JobState.Finished;
            record.EndUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await _store.PutAsync(ControlTables.Jobs, key, record.ToByteArray(), cancellationToken);
            _index.Put(key, record);

            // The job has finished: the caller giving up now must not make the finish look failed.
            await ForgetOldFinishedJobsAsync(CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }

        ControlLog.JobFinished(_logger, key);
    }

    /// <summary>
    /// Every job in start order; or, when <paramref name="request"/> names a revision this
    /// incarnation gave, only the jobs changed after it. Either way with the revision the reply is
    /// complete up to, for the reader's next call.
    /// </summary>
    public Proto.ListJobsReply List(Proto.ListJobsRequest request)
    {
        // A revision of another incarnation says nothing about what the reader has seen: from the
        // start, it learns every job again (among them the ones that finished while it could not ask).
        ulong since = request.Incarnation == Incarnation ? request.SinceRevision : 0;
        var (jobs, revision) = _index.ChangedAfter(since);
        var reply = new Proto.ListJobsReply { Revision = revision, Incarnation = Incarnation };
        reply.Jobs.AddRange(jobs);
        return reply;
    }

    // Under _writeLock. Store first: a job deleted there but not yet here is deleted again next time.
    private async Task ForgetOldFinishedJobsAsync(CancellationToken cancellationToken)
    {
        while (_index.OldestFinishedBeyond(_finishedJobsKept) is { } key)
        {
            await _store.DeleteAsync(ControlTables.Jobs, key, cancellationToken);
            _index.ForgetOldestFinished();
        }
    }
}
