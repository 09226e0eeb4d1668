namespace Plexus.ClusterDriver;

/// <summary>
/// <c>sum N</c>: the sum of the squares of 1..N, one task per square: an exact answer the test
/// knows, proving a job ran. Prints <c>{"sum": ...}</c>.
/// </summary>
internal static class SumScenario
{
    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var count = int.Parse(context.Arguments[0], System.Globalization.CultureInfo.InvariantCulture);
        var squares = Enumerable.Range(1, count).Select(i => plexus.Task<long, long>(ClusterTasks.Square).Remote(i)).ToList();
        return new { Sum = (await plexus.GetAsync(squares)).Sum() };
    }
}
