using System.Runtime.CompilerServices;
using Google.Protobuf;
using Plexus.Control.Packages;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Submissions;

/// <summary>
/// Jobs submitted to the cluster (<c>plexus submit</c>): the submissions table, each one's output,
/// and what nodes are asked to run or stop. The gRPC service <c>PlexusJobs</c> hands its calls
/// here, and so may anything in the service's process (a dashboard): <see cref="List"/>,
/// <see cref="Get"/> and <see cref="ReadLogsAsync"/> are cheap reads of memory and of the output kept.
/// </summary>
/// <remarks>
/// A malformed request fails with <see cref="ArgumentException"/> naming the field; an unknown
/// submission with <see cref="SubmissionNotFoundException"/>; a node reporting for a submission it
/// does not run with <see cref="InvalidOperationException"/>.
/// </remarks>
internal sealed class SubmissionService : IDisposable
{
    // The most bytes a log chunk carries: well under the gRPC message limit, and a reader sees output promptly.
    private const int MaxChunk = 256 << 10;

    // The most bytes one append may carry (a node sends up to MaxChunk at a time).
    private const int MaxAppend = 4 << 20;

    private readonly SubmissionTable _table;
    private readonly JobOutputStore _output;

    // Finishes the job a submission's driver registered, once the submission ended (its workers and actors end with it).
    private readonly Func<ByteString, CancellationToken, Task> _finishJob;

    // Pulsed on every change of a submission or of its output: log followers wake on it.
    private readonly ChangeSignal _changed = new();

    public SubmissionService(IControlStore store, JobOutputStore output, int endedKept, TimeProvider time, Func<ByteString, CancellationToken, Task> finishJob)
    {
        _output = output;
        _finishJob = finishJob;
        _table = new SubmissionTable(store, endedKept, time);
        _table.Changed += _ => _changed.Pulse();
        _table.Forgotten += _output.Delete;
    }

    public Task LoadAsync(CancellationToken cancellationToken) => _table.LoadAsync(cancellationToken);

    /// <summary>Adds a PENDING submission; a node takes it at its next heartbeat.</summary>
    public async Task<Proto.SubmitJobReply> SubmitAsync(Proto.SubmitJobRequest request, CancellationToken cancellationToken)
    {
        PackageValidation.Sha256(request.PackageId, "package_id");
        if (request.Argv.Count == 0 || string.IsNullOrWhiteSpace(request.Argv[0]))
        {
            throw new ArgumentException("argv must name the program to run first (e.g. dotnet App.dll)");
        }

        RequestValidation.NotBlank(request.Submitter, "submitter");
        foreach (var name in request.Env.Keys)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"env holds the variable name '{name}': a name must be non-empty, without '=' or NUL");
            }
        }

        return new Proto.SubmitJobReply { Submission = WithOutput(await _table.AddAsync(request, cancellationToken).ConfigureAwait(false)) };
    }

    /// <summary>Every submission the service remembers, in submission order.</summary>
    public Proto.ListSubmittedJobsReply List()
    {
        var reply = new Proto.ListSubmittedJobsReply();
        reply.Submissions.AddRange(_table.List().Select(WithOutput));
        return reply;
    }

    /// <summary>The submission, or null when the service does not know it.</summary>
    public Proto.SubmissionInfo? Get(string submissionId) => _table.Get(submissionId) is { } record ? WithOutput(record) : null;

    /// <summary>
    /// The submission's output from <c>request.offset</c> (from the first byte kept when older ones were
    /// dropped), in chunks; with <c>follow</c>, waits for more until the submission has ended and all
    /// its output was read.
    /// </summary>
    /// <exception cref="SubmissionNotFoundException">The service does not know the submission.</exception>
    public async IAsyncEnumerable<Proto.JobLogChunk> ReadLogsAsync(Proto.GetJobLogsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Offset, "offset");
        long offset = request.Offset;
        while (true)
        {
            // Taken before looking: a change after the look still wakes the wait below.
            var changed = _changed.Next;
            // The state before the output: a driver's output is all in before its node reports the exit.
            var record = _table.Get(request.SubmissionId) ?? throw SubmissionNotFoundException.For(request.SubmissionId);
            var chunk = _output.Read(record.SubmissionId, offset, MaxChunk);
            offset = chunk.Offset + chunk.Data.Length;
            if (chunk.Data.Length > 0)
            {
                yield return new Proto.JobLogChunk { Offset = chunk.Offset, Data = ByteString.CopyFrom(chunk.Data) };
                continue;
            }

            if (!request.Follow || SubmissionTable.HasEnded(record))
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops a submission (see <see cref="SubmissionTable.StopAsync"/>).</summary>
    public async Task<Proto.StopJobReply> StopAsync(Proto.StopJobRequest request, CancellationToken cancellationToken) =>
        new() { Submission = WithOutput(await _table.StopAsync(request.SubmissionId, cancellationToken).ConfigureAwait(false)) };

    /// <summary>Adds output of a driver its node runs, idempotently by offset (see <see cref="JobOutputStore.Append"/>).</summary>
    public Task<Proto.AppendJobOutputReply> AppendOutputAsync(Proto.AppendJobOutputRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequestValidation.Id(request.NodeId, "node_id");
        if (request.Offset < 0 || request.Data.Length > MaxAppend)
        {
            throw new ArgumentException($"offset must be 0 or more and data at most {MaxAppend} bytes; got offset {request.Offset}, {request.Data.Length} bytes");
        }

        var record = _table.Get(request.SubmissionId) ?? throw SubmissionNotFoundException.For(request.SubmissionId);
        SubmissionTable.RequireRunner(record, request.NodeId);
        long end = _output.Append(record.SubmissionId, request.Offset, request.Data.Span);
        _changed.Pulse();
        return Task.FromResult(new Proto.AppendJobOutputReply { AcceptedEnd = end });
    }

    /// <summary>A driver ended on its node; the job it registered is finished with it, so its workers and actors end.</summary>
    public async Task<Proto.ReportJobExitReply> ReportExitAsync(Proto.ReportJobExitRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Id(request.NodeId, "node_id");
        var record = await _table.EndAsync(request, cancellationToken).ConfigureAwait(false);
        await FinishLinkedJobAsync(record, cancellationToken).ConfigureAwait(false);
        return new Proto.ReportJobExitReply { Submission = WithOutput(record) };
    }

    /// <summary>
    /// Adds to a node's heartbeat reply the drivers it must run (the PENDING ones too, when
    /// <paramref name="takesPending"/> says this node takes them) and those it must stop.
    /// </summary>
    public async Task AddDriverWorkAsync(Proto.HeartbeatReply reply, ByteString nodeId, Func<bool> takesPending, CancellationToken cancellationToken)
    {
        if (_table.HasPending && takesPending())
        {
            await _table.AssignPendingAsync(nodeId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var running in _table.RunningOn(nodeId))
        {
            var assignment = new Proto.DriverAssignment { SubmissionId = running.SubmissionId, PackageId = running.PackageId };
            assignment.Argv.AddRange(running.Argv);
            assignment.Env.Add(running.Env);
            reply.DriversToStart.Add(assignment);
            if (running.StopRequested)
            {
                reply.DriversToStop.Add(running.SubmissionId);
            }
        }
    }

    /// <summary>The drivers a dead node ran have failed with <paramref name="reason"/>; the jobs they registered finish.</summary>
    public async Task NodeDiedAsync(ByteString nodeId, string reason, CancellationToken cancellationToken)
    {
        var lost = _table.RunningOn(nodeId);
        await _table.NodeDiedAsync(nodeId, reason, cancellationToken).ConfigureAwait(false);
        foreach (var submission in lost)
        {
            if (_table.Get(submission.SubmissionId) is { } ended)
            {
                await FinishLinkedJobAsync(ended, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Links a submission to the job its driver registered (RegisterJobRequest.submission_id).</summary>
    /// <exception cref="SubmissionNotFoundException">The service does not know the submission.</exception>
    public Task LinkJobAsync(string submissionId, ByteString jobId, CancellationToken cancellationToken) =>
        _table.LinkJobAsync(submissionId, jobId, cancellationToken);

    public void Dispose() => _output.Dispose();

    private Task FinishLinkedJobAsync(Proto.SubmissionInfo record, CancellationToken cancellationToken) =>
        SubmissionTable.HasEnded(record) && !record.JobId.IsEmpty ? _finishJob(record.JobId, cancellationToken) : Task.CompletedTask;

    private Proto.SubmissionInfo WithOutput(Proto.SubmissionInfo record)
    {
        var listed = record.Clone();
        listed.OutputBytes = _output.EndOf(record.SubmissionId);
        return listed;
    }
}
