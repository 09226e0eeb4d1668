using System.Diagnostics;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// How many calls the head's control service serves per 1,000 tasks while 100,000 no-op tasks run
/// spread over three nodes (pinned in turn), beyond what the nodes' heartbeats cost anyway: the
/// heartbeat loops' calls per second are measured first, with the cluster idle, and subtracted.
/// The target is 0: tasks are placed by the nodes, never through the head.
/// </summary>
internal static class ControlCallFigure
{
    private const int Tasks = 100_000;
    private const int Batch = 10_000;
    private static readonly TimeSpan BaselineWindow = TimeSpan.FromSeconds(5);

    public static async Task<double> PerThousandTasksAsync(PlexusRuntime plexus, ClusterControl control, ClusterNodes nodes)
    {
        var builders = nodes.Spread(3).Select(n => plexus.Task<int>(NoOpTasks.Run).WithOptions(ClusterNodes.PinnedTo(n))).ToArray();

        var (idleCalls, idleSeconds) = await CountCallsAsync(control, () => Task.Delay(BaselineWindow));
        var (runCalls, runSeconds) = await CountCallsAsync(control, async () =>
        {
            for (var done = 0; done < Tasks; done += Batch)
            {
                var refs = Enumerable.Range(done, Batch).Select(i => builders[i % builders.Length].Remote()).ToArray();
                foreach (var reference in refs)
                {
                    await reference;
                    reference.Dispose();
                }
            }
        });

        var heartbeatRate = idleCalls.Values.Sum() / idleSeconds;
        var excess = runCalls.Values.Sum() - (heartbeatRate * runSeconds);
        await Console.Error.WriteLineAsync(
            $"control calls: idle {Describe(idleCalls)} in {idleSeconds:F1} s; " +
            $"{Tasks:N0} tasks on {builders.Length} nodes {Describe(runCalls)} in {runSeconds:F1} s ({Tasks / runSeconds:N0} tasks/s)");
        return excess / (Tasks / 1_000.0);
    }

    // The calls served, by method, while the work ran (the reading calls themselves left out), and its seconds.
    private static async Task<(Dictionary<string, long> Calls, double Seconds)> CountCallsAsync(ClusterControl control, Func<Task> work)
    {
        var before = await control.CallsServedAsync();
        var clock = Stopwatch.StartNew();
        await work();
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await control.CallsServedAsync();
        var calls = after.ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key));
        calls["ListNodes"]--; // the second read counts itself
        return (calls.Where(c => c.Value != 0).ToDictionary(), seconds);
    }

    private static string Describe(Dictionary<string, long> calls) =>
        calls.Count == 0 ? "no calls" : string.Join(", ", calls.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));
}
