using System.Net;
using System.Net.Sockets;
using Plexus.Cluster;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// One embedded cluster of the observability suite: with telemetry, the node keeps its metrics and
/// this process serves them on a loopback port nobody scrapes (what a node started with
/// <c>--metrics-port</c> pays between scrapes); without, the node keeps none
/// (<c>NodeOptions.Telemetry</c> off) and nothing is served.
/// </summary>
internal sealed class TelemetryRun : IAsyncDisposable
{
    private readonly MetricsEndpoint? _endpoint;

    private TelemetryRun(PlexusRuntime plexus, MetricsEndpoint? endpoint)
    {
        Plexus = plexus;
        _endpoint = endpoint;
    }

    public PlexusRuntime Plexus { get; }

    public static async Task<TelemetryRun> StartAsync(bool telemetry)
    {
        var endpoint = telemetry ? MetricsEndpoint.Start(IPAddress.Loopback, FreeLoopbackPort()) : null;
        try
        {
            var plexus = await PlexusRuntime.StartLocalAsync(new PlexusOptions { StoreCapacity = 1L << 30, Telemetry = telemetry });
            return new TelemetryRun(plexus, endpoint);
        }
        catch
        {
            endpoint?.Dispose();
            throw;
        }
    }

    // A port the OS had free a moment ago; taken by another program meanwhile, the endpoint's start says so.
    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Plexus.DisposeAsync();
        _endpoint?.Dispose();
    }
}
