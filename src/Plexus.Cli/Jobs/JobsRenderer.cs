using System.Globalization;
using Spectre.Console;

namespace Plexus.Cli.Jobs;

/// <summary>Draws <see cref="JobsReport"/> as a table, for people (<c>--json</c> is for scripts).</summary>
internal static class JobsRenderer
{
    public static void Render(JobsReport report, IAnsiConsole console)
    {
        if (report.Jobs.Count == 0)
        {
            console.WriteLine("No jobs were submitted to this cluster (plexus submit -- dotnet App.dll runs one).");
            return;
        }

        var table = new Table().AddColumns("JOB", "STATE", "START", "DURATION", "SUBMITTER", "ENTRYPOINT", "EXIT", "NODE", "JOB ID");
        foreach (var job in report.Jobs)
        {
            table.AddRow(
                Markup.Escape(job.SubmissionId),
                Markup.Escape(job.State),
                job.StartUnixMs is { } start ? DateTimeOffset.FromUnixTimeMilliseconds(start).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                job.DurationSeconds is { } seconds ? Duration(seconds) : "-",
                Markup.Escape(job.Submitter),
                Markup.Escape(job.Entrypoint),
                job.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
                job.Node is { } node ? node[..Math.Min(8, node.Length)] : "-",
                job.JobId ?? "-");
        }

        console.Write(table);
        foreach (var job in report.Jobs.Where(j => j.Message.Length > 0 && j.State is "FAILED" or "STOPPED"))
        {
            console.WriteLine($"{job.SubmissionId} {job.State}: {job.Message}");
        }
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)seconds / 60}m{(int)seconds % 60:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)seconds / 3600}h{(int)seconds / 60 % 60:00}m"),
    };
}
