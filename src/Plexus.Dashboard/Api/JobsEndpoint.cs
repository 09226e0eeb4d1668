using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/jobs</c>: the jobs submitted with <c>plexus submit</c> (newest first) and the jobs
/// drivers registered (every program's run, submitted or not; running first, then newest).
/// </summary>
internal static class JobsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/jobs", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.JobsView));

    private static async Task<JobsView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var submissions = await reader.Control.ListSubmittedJobsAsync(context.RequestAborted).ConfigureAwait(false);
        var jobs = await reader.State.ListJobsAsync(context.RequestAborted).ConfigureAwait(false);
        return new JobsView(
            [.. submissions.OrderByDescending(s => s.SubmitUnixMs).Select(SubmissionView.From)],
            [.. jobs.OrderBy(j => j.State != "RUNNING").ThenByDescending(j => j.StartTime)]);
    }
}

/// <summary>The submitted jobs and the registered ones.</summary>
internal sealed record JobsView(IReadOnlyList<SubmissionView> Submissions, IReadOnlyList<JobEntry> Jobs);

/// <summary>One submitted job, as <c>plexus jobs</c> shows it; times in Unix ms (null when not yet), ids in hex.</summary>
internal sealed record SubmissionView(
    string SubmissionId, string State, string Entrypoint, string Submitter, long SubmittedUnixMs, long? StartedUnixMs, long? EndedUnixMs,
    string? NodeId, int? ExitCode, string? JobId, string? Message, long OutputBytes)
{
    public static SubmissionView From(Proto.SubmissionInfo submission) => new(
        submission.SubmissionId,
        submission.State.ToString().ToUpperInvariant(),
        string.Join(' ', submission.Argv),
        submission.Submitter,
        submission.SubmitUnixMs,
        submission.StartUnixMs == 0 ? null : submission.StartUnixMs,
        submission.EndUnixMs == 0 ? null : submission.EndUnixMs,
        submission.NodeId.IsEmpty ? null : Convert.ToHexStringLower(submission.NodeId.Span),
        submission.HasExitCode ? submission.ExitCode : null,
        submission.JobId.IsEmpty ? null : Convert.ToHexStringLower(submission.JobId.Span),
        submission.Message.Length == 0 ? null : submission.Message,
        submission.OutputBytes);
}
