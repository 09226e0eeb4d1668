using System.Diagnostics;

namespace Plexus.Benchmarks.Micro;

/// <summary>
/// Times rounds of work. Every figure is warmed up by its caller first; a measurement then runs
/// whole rounds until both a minimum time and a minimum number of rounds are reached, and never
/// starts a round after <see cref="MaxDuration"/>, so a slow runtime still finishes the suite.
/// </summary>
internal static class Measure
{
    /// <summary>How long a measurement runs at least; a suite that needs steadier figures sets more.</summary>
    public static TimeSpan MinDuration { get; set; } = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(15);

    // Long enough for tiered compilation (and dynamic PGO) to reach optimized code in the driver
    // and the workers: after one round of 1,000 tasks, tasks/s read 2-4x too low, and profiles
    // still show the JIT busy 5 s into a run.
    public static readonly TimeSpan WarmUpDuration = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Sees every measured window (never a warm-up) with the units of work done in it: the
    /// observability suite reads the cluster's CPU time around each. Null when nobody looks.
    /// </summary>
    public static IMeasuredWindow? Window { get; set; }

    /// <summary>Runs rounds for <see cref="WarmUpDuration"/> (at least one), results discarded.</summary>
    public static async Task WarmUpAsync(Func<Task<long>> round)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            await round();
        }
        while (clock.Elapsed < WarmUpDuration);
    }

    /// <summary>Runs rounds (each returning the units of work it did) and returns units per second over all of them.</summary>
    public static async Task<double> RateAsync(Func<Task<long>> round, int minRounds = 3)
    {
        long units = 0;
        var rounds = 0;
        Window?.Begin();
        var clock = Stopwatch.StartNew();
        while (rounds < minRounds ? clock.Elapsed < MaxDuration : clock.Elapsed < MinDuration)
        {
            units += await round();
            rounds++;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Window?.End(units);
        return units / seconds;
    }

    /// <summary>Runs <paramref name="work"/> once, which does <paramref name="units"/> units of work, and returns units per second.</summary>
    public static async Task<double> OnceRateAsync(Func<Task> work, long units)
    {
        Window?.Begin();
        var seconds = await SecondsAsync(work);
        Window?.End(units);
        return units / seconds;
    }

    /// <summary>Runs a synchronous loop body in chunks of <paramref name="chunk"/> calls and returns calls per second.</summary>
    public static double CallRate(Action call, int chunk = 1_000)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < WarmUpDuration)
        {
            call();
        }

        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MinDuration)
        {
            for (var i = 0; i < chunk; i++)
            {
                call();
            }

            calls += chunk;
        }

        return calls / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Times one call: the seconds it took.</summary>
    public static async Task<double> SecondsAsync(Func<Task> work)
    {
        var start = Stopwatch.GetTimestamp();
        await work();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
