using System.Diagnostics;
using Plexus.Data;
using Spectre.Console;

namespace Plexus.Samples;

/// <summary>
/// Shows a Plexus.Data run's progress: one bar per stage on a terminal (Spectre.Console), plain
/// lines every two seconds otherwise (logs, pipes, CI), and the run's summary table at the end.
/// </summary>
internal static class DataProgressView
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="run"/> with a progress sink that draws on the console.</summary>
    public static async Task<T> ShowAsync<T>(Func<IProgress<DataProgress>, Task<T>> run)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await run(new Lines());
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => run(new Bars(context)));
    }

    /// <summary>One Spectre progress task per stage, updated on each report.</summary>
    private sealed class Bars(ProgressContext context) : IProgress<DataProgress>
    {
        private readonly Dictionary<int, ProgressTask> bars = [];

        public void Report(DataProgress value)
        {
            lock (bars)
            {
                foreach (var stage in value.Stages)
                {
                    if (!bars.TryGetValue(stage.Index, out var bar))
                    {
                        bars[stage.Index] = bar = context.AddTask(Markup.Escape(stage.Name), maxValue: Math.Max(1, stage.BlocksTotal ?? 1));
                    }

                    bar.MaxValue = Math.Max(1, stage.BlocksTotal ?? stage.BlocksDone);
                    bar.Value = stage.IsDone ? bar.MaxValue : stage.BlocksDone;
                    bar.Description = Markup.Escape($"{stage.Name}  {stage.Bytes / 1e6:N0} MB  {stage.BytesPerSecond / 1e6:N0} MB/s");
                }

                if (value.Summary is { } summary)
                {
                    context.Refresh();
                    AnsiConsole.WriteLine(summary.ToString());
                }
            }
        }
    }

    /// <summary>Plain lines, at most every two seconds, then the summary.</summary>
    private sealed class Lines : IProgress<DataProgress>
    {
        private readonly Stopwatch sinceLastLine = Stopwatch.StartNew();

        public void Report(DataProgress value)
        {
            if (value.Summary is { } summary)
            {
                Console.WriteLine(summary);
                return;
            }

            if (sinceLastLine.Elapsed < LineInterval)
            {
                return;
            }

            sinceLastLine.Restart();
            foreach (var stage in value.Stages.Where(s => !s.IsDone && (s.BlocksDone > 0 || s.TasksRunning > 0)))
            {
                Console.WriteLine(stage);
            }
        }
    }
}
