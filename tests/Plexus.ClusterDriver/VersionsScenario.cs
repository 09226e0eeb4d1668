namespace Plexus.ClusterDriver;

/// <summary>
/// <c>versions N</c>: N tasks spread over the nodes, each reporting its node, the version of the
/// job's library it loaded and that library's path. Prints them, and the driver's own version.
/// </summary>
internal static class VersionsScenario
{
    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var count = int.Parse(context.Arguments[0], System.Globalization.CultureInfo.InvariantCulture);
        var spread = new TaskOptions { Strategy = SchedulingStrategy.Spread };
        var reports = Enumerable.Range(0, count).Select(_ => plexus.Task(ClusterTasks.ReportVersion).WithOptions(spread).Remote()).ToList();
        return new { Driver = Version.JobVersion.Value, Tasks = await plexus.GetAsync(reports) };
    }
}
