using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plexus;
using Plexus.ClusterDriver;

// The driver of the cluster tests: joins the cluster named by PLEXUS_ADDRESS (as any program does
// with PlexusRuntime.StartAsync), runs the scenario its first argument names, and prints what it
// found as one line "RESULT <json>" for the test to parse. Usage: SCENARIO DIRECTORY [ARGS...],
// where DIRECTORY holds the files through which the test and the driver wait for each other.
if (args.Length < 2 || !Scenarios.All.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"Usage: Plexus.ClusterDriver {{{string.Join('|', Scenarios.All.Keys)}}} DIRECTORY [ARGS...]");
    return 2;
}

// Logs (those of the node a driver brings where none runs) go to standard error; standard output holds the result.
// A test may ask for its tasks' log entries from another level (PlexusOptions.TaskLogLevel).
var taskLogLevel = Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("CLUSTER_DRIVER_TASK_LOG_LEVEL") ?? nameof(LogLevel.Information));
using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(taskLogLevel));
// A test may give the driver a lineage budget of its own (PlexusOptions.MaxLineageBytes).
var options = new PlexusOptions { TaskLogLevel = taskLogLevel };
if (Environment.GetEnvironmentVariable("CLUSTER_DRIVER_MAX_LINEAGE_BYTES") is { } maxLineageBytes)
{
    options.MaxLineageBytes = long.Parse(maxLineageBytes, System.Globalization.CultureInfo.InvariantCulture);
}

PlexusRuntime plexus;
try
{
    plexus = await PlexusRuntime.StartAsync(options, loggerFactory);
}
catch (Exception e)
{
    // A refused join is an outcome some tests expect: said plainly, with the runtime's own message.
    Console.Error.WriteLine($"JOIN FAILED {e.GetType().Name}: {e.Message}");
    return 1;
}

await using (plexus)
{
    var result = await scenario(plexus, new ScenarioContext(args[1], args[2..]));
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result, result.GetType(), ScenarioContext.Json));
}

return 0;
