using System.Diagnostics;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// Times a single-thread loop for a limit: one warm-up run (tiered compilation and dynamic PGO
/// reach optimized code, buffers are touched), then the fastest of a few runs, since a limit is
/// the most the machine does and a slower run only measured interference.
/// </summary>
internal static class SingleThreadLoop
{
    private const int Runs = 3;

    /// <summary>
    /// The fewest seconds <paramref name="run"/> took, after a warm-up: <paramref name="warmUp"/>
    /// when given (a smaller share of a long run's work), else one run.
    /// </summary>
    public static double BestSeconds(Action run, Action? warmUp = null)
    {
        (warmUp ?? run)();
        var best = double.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return best;
    }

    /// <summary>
    /// A single-thread rate scaled to the machine: work this bounded by one core's speed, split
    /// perfectly over every core, with nothing spent on moving data between them.
    /// </summary>
    public static double TimesCores(double perCoreRate) => perCoreRate * Environment.ProcessorCount;
}
