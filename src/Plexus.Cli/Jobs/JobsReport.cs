using Plexus.Protocol.Control;

namespace Plexus.Cli.Jobs;

/// <summary>What <c>plexus jobs</c> shows, in the shape <c>--json</c> prints (camelCase names; a script can rely on them).</summary>
internal sealed record JobsReport(IReadOnlyList<SubmittedJobStatus> Jobs)
{
    public static JobsReport From(IEnumerable<SubmissionInfo> submissions, DateTimeOffset now) =>
        new([.. submissions.Select(s => SubmittedJobStatus.From(s, now))]);
}

/// <summary>
/// One submitted job. <see cref="State"/> is PENDING, RUNNING, SUCCEEDED, FAILED or STOPPED; times
/// are Unix ms, null until they happen; <see cref="DurationSeconds"/> runs from the start to the
/// end (to now while it runs), null while it waits for a node; <see cref="JobId"/> is the job its
/// driver registered, null until then; <see cref="ExitCode"/> is null unless its driver exited.
/// </summary>
internal sealed record SubmittedJobStatus(
    string SubmissionId,
    string State,
    string Submitter,
    string Entrypoint,
    long SubmitUnixMs,
    long? StartUnixMs,
    long? EndUnixMs,
    double? DurationSeconds,
    int? ExitCode,
    string? Node,
    string? JobId,
    string Message,
    long OutputBytes)
{
    public static SubmittedJobStatus From(SubmissionInfo submission, DateTimeOffset now)
    {
        long? start = submission.StartUnixMs > 0 ? submission.StartUnixMs : null;
        long? end = submission.EndUnixMs > 0 ? submission.EndUnixMs : null;
        return new(
            submission.SubmissionId,
            StateName(submission.State),
            submission.Submitter,
            CommandLineOf(submission.Argv),
            submission.SubmitUnixMs,
            start,
            end,
            start is { } started ? Math.Max(0, (end ?? now.ToUnixTimeMilliseconds()) - started) / 1000.0 : null,
            submission.HasExitCode ? submission.ExitCode : null,
            submission.NodeId.IsEmpty ? null : Convert.ToHexStringLower(submission.NodeId.Span),
            submission.JobId.IsEmpty ? null : Convert.ToHexStringLower(submission.JobId.Span),
            submission.Message,
            submission.OutputBytes);
    }

    /// <summary>PENDING, RUNNING, SUCCEEDED, FAILED or STOPPED.</summary>
    public static string StateName(SubmissionState state) => state switch
    {
        SubmissionState.Pending => "PENDING",
        SubmissionState.Running => "RUNNING",
        SubmissionState.Succeeded => "SUCCEEDED",
        SubmissionState.Failed => "FAILED",
        SubmissionState.Stopped => "STOPPED",
        _ => "UNKNOWN",
    };

    // The command as a shell would take it back: arguments with spaces or quotes are quoted.
    private static string CommandLineOf(IEnumerable<string> argv) =>
        string.Join(' ', argv.Select(static a => a.Length > 0 && !a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
