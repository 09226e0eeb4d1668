using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control.Packages;
using Plexus.Control.Service;
using Plexus.Control.Storage;

namespace Plexus.Control.Tests;

/// <summary>A started control service in the test's process, without a server, plus an in-process client of it; disposed per test.</summary>
internal sealed class InProcessControlService : IAsyncDisposable
{
    private InProcessControlService(ControlService service)
    {
        Service = service;
        Client = new InProcessControlClient(service);
    }

    public ControlService Service { get; }

    public InProcessControlClient Client { get; }

    public static async Task<InProcessControlService> StartAsync(
        TimeSpan heartbeatInterval, TimeSpan heartbeatTimeout, TimeProvider? time = null, string? packageDirectory = null, PackageLimits? packageLimits = null)
    {
        var settings = new ControlServiceSettings(heartbeatInterval, heartbeatTimeout)
        {
            PackageDirectory = packageDirectory,
            PackageLimits = packageLimits ?? PackageLimits.Default,
        };
        var service = new ControlService(settings, new InMemoryControlStore(), time ?? TimeProvider.System, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        return new InProcessControlService(service);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Service.DisposeAsync();
    }
}
