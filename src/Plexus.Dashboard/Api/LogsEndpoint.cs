using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control.Submissions;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/logs?submission=ID&amp;offset=N</c>: a submitted job's output from byte N (what
/// <c>plexus logs</c> prints), at most 256 KiB per call, with the offset to ask from next; the page
/// polls with it to follow the output. Output the service no longer keeps (beyond the most recent
/// 8 MiB) starts later than asked, and the answer says where.
/// </summary>
internal static class LogsEndpoint
{
    private const int MaxBytes = 256 << 10;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/logs", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.LogsView));

    /// <exception cref="ArgumentException">No submission id, an unknown one, or an offset that is not a number.</exception>
    private static async Task<LogsView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var id = ApiResponses.Query(context, "submission") ?? throw new ArgumentException("submission is missing: give a submitted job's id (sub-...).");
        var text = ApiResponses.Query(context, "offset") ?? "0";
        if (!long.TryParse(text, out var offset) || offset < 0)
        {
            throw new ArgumentException($"offset '{text}' is not a byte offset (0 or more).");
        }

        var submissions = await reader.Control.ListSubmittedJobsAsync(context.RequestAborted).ConfigureAwait(false);
        var submission = submissions.FirstOrDefault(s => s.SubmissionId == id) ?? throw new ArgumentException($"No submitted job {id}: see the jobs page for the ids.");
        var output = new MemoryStream();
        long start = offset;
        var first = true;
        try
        {
            await foreach (var chunk in reader.Control.ReadJobLogsAsync(id, offset, follow: false, context.RequestAborted).ConfigureAwait(false))
            {
                if (first)
                {
                    start = chunk.Offset;
                    first = false;
                }

                output.Write(chunk.Data.Span);
                if (output.Length >= MaxBytes)
                {
                    break;
                }
            }
        }
        catch (SubmissionNotFoundException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        var ended = submission.State is not (Proto.SubmissionState.Pending or Proto.SubmissionState.Running);
        return new LogsView(id, submission.State.ToString().ToUpperInvariant(), start, start + output.Length, Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length), ended);
    }
}

/// <summary>Output of a submitted job from <paramref name="Offset"/> to <paramref name="NextOffset"/> (bytes), and whether the job has ended.</summary>
internal sealed record LogsView(string SubmissionId, string State, long Offset, long NextOffset, string Text, bool Ended);
