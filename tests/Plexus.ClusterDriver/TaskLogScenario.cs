namespace Plexus.ClusterDriver;

/// <summary>
/// <c>task-log NODE MARKER</c>: a task bound to NODE logs one line at each of Debug, Information and
/// Warning (<c>task-log MARKER-outer at LEVEL</c>) and submits, from its worker, a task that does the
/// same (<c>MARKER-outer-inner</c>): what reaches the driver's logger and the worker's log file shows the
/// level the workers kept (the driver's <c>PlexusOptions.TaskLogLevel</c>, from
/// <c>CLUSTER_DRIVER_TASK_LOG_LEVEL</c>). Prints the outer task's worker pid.
/// </summary>
internal static class TaskLogScenario
{
    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        using var outer = plexus.Task<string, bool, int>(ClusterTasks.LogAtEachLevelAsync).WithOptions(Scenarios.On(context.Arguments[0]))
            .Remote(context.Arguments[1] + "-outer", true);
        return new { Pid = await outer };
    }
}
