using Microsoft.Extensions.Logging;
using Plexus.Control;

namespace Plexus.Tests;

/// <summary>What a cluster logs through the logger factory a program passes it.</summary>
[Slow]
public sealed class LoggingTests
{
    [Fact]
    public async Task AtTheDefaultLevelAClusterLogsItsStartAndAddressAndNothingPerRequestOrHeartbeat()
    {
        var log = new RecordingLoggerProvider();
        // A factory's default minimum level is Information, as for AddConsole() in a program.
        using (var factory = LoggerFactory.Create(logging => logging.AddProvider(log)))
        {
            await RunWithHeartbeatsAsync(factory);
        }

        // Nothing from the framework Plexus runs on (the Generic Host's lifetime, a line per request).
        Assert.Empty(log.Entries.Where(e => !e.Category.StartsWith("Plexus.", StringComparison.Ordinal)).Select(e => $"{e.Category}: {e.Message}"));
        // The embedded control service is called in-process: it serves no address, so says none.
        Assert.Equal(["NodeStarted"], log.Entries.Where(e => e.Level == LogLevel.Information).Select(e => e.EventName).Order());
    }

    [Fact]
    public async Task ShuttingDownStopsHeartbeatsBeforeTheNodeLeavesSoItIsNotRegisteredAgain()
    {
        var log = new RecordingLoggerProvider();
        using (var factory = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug)))
        {
            await RunWithHeartbeatsAsync(factory);
        }

        var events = log.Entries.Select(e => e.EventName).Where(n => n is "NodeRegistered" or "NodeUnregistered").ToList();
        Assert.Equal(["NodeRegistered", "NodeUnregistered"], events);
    }

    // Runs a cluster through a few heartbeats and a task, then disposes it.
    private static async Task RunWithHeartbeatsAsync(ILoggerFactory factory)
    {
        await using var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { Cpus = 1, StoreCapacity = 64L << 20 }, factory);
        var client = plexus.EmbeddedControl();
        for (var heartbeats = 0; heartbeats < 3; heartbeats++)
        {
            await NextHeartbeatAsync(client);
        }

        Assert.Equal(3, await plexus.Task<int, int, int>(TestFunctions.Add).Remote(1, 2));
    }

    // A heartbeat arrived when the last one is later than the one seen first. Heartbeats come a
    // second apart (the default interval), so half of that tells a new one from clock rounding.
    private static async Task NextHeartbeatAsync(IControlClient client)
    {
        var first = await LastHeartbeatAsync(client);
        await Eventually.TrueAsync(async () => await LastHeartbeatAsync(client) > first + TimeSpan.FromMilliseconds(500), "the node heartbeats again");
    }

    private static async Task<DateTime> LastHeartbeatAsync(IControlClient client) =>
        DateTime.UtcNow - (await client.ListNodesAsync()).Single().LastHeartbeatAge;
}
