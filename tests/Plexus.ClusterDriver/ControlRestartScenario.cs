using System.Diagnostics;
using System.Globalization;

namespace Plexus.ClusterDriver;

/// <summary>
/// <c>control-restart NAME TASKS</c>: creates a detached counter actor named NAME and adds 5 to it,
/// then runs short tasks (squares that hold their CPU 20 ms) in waves of 50, checking every result.
/// After the first wave it writes <c>running.reached</c> (the test then kills the head's control
/// service) and goes on without waiting; it stops once it has run TASKS tasks and the test has
/// written <c>restarted.go</c> (the service is back). Then it finds the actor by name and adds 1.
/// Prints the tasks run, how many gave a wrong result, how many ran while the service was being
/// restarted (between the two files), and the actor's count (6 when its state is intact).
/// </summary>
internal static class ControlRestartScenario
{
    private const int Wave = 50;
    private const int HoldMilliseconds = 20;

    // The test writes restarted.go well within this; past it the driver reports a hang.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        string name = context.Arguments[0];
        int tasks = int.Parse(context.Arguments[1], CultureInfo.InvariantCulture);
        var counter = plexus.Actor(() => new Counter()).WithOptions(new ActorOptions { Name = name, Detached = true }).Remote();
        int before = await counter.Call(c => c.Add(5));

        string restarted = Path.Combine(context.Directory, "restarted.go");
        int run = 0, wrong = 0, whileRestarting = 0;
        var elapsed = Stopwatch.StartNew();
        while (run < tasks || !File.Exists(restarted))
        {
            if (elapsed.Elapsed > Limit)
            {
                throw new TimeoutException($"The test did not write {restarted} within {Limit} ({run} tasks run).");
            }

            bool back = File.Exists(restarted);
            var inputs = Enumerable.Range(run, Wave).Select(i => (long)i).ToList();
            var squares = await plexus.GetAsync(inputs.Select(x => plexus.Task<long, long>(SlowSquare).Remote(x)).ToList());
            wrong += inputs.Zip(squares).Count(pair => pair.Second != pair.First * pair.First);
            if (run == 0)
            {
                await SharedFiles.WriteAsync(Path.Combine(context.Directory, "running.reached"), "");
            }
            else if (!back)
            {
                whileRestarting += Wave;
            }

            run += Wave;
        }

        var found = await plexus.GetActorAsync<Counter>(name);
        return new { Tasks = run, Wrong = wrong, WhileRestarting = whileRestarting, Before = before, Count = await found.Call(c => c.Add(1)) };
    }

    /// <summary>A square that holds its CPU a while, so the tasks keep the workers busy across the restart.</summary>
    private static long SlowSquare(long x)
    {
        Thread.Sleep(HoldMilliseconds);
        return x * x;
    }
}
