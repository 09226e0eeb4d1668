using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control.Server.Hosting;
using Plexus.Control.Service;

namespace Plexus.Control;

/// <summary>
/// The control service of a Plexus cluster served over gRPC (HTTP/2 cleartext) for a head node:
/// node membership, failure detection by heartbeats, and the job table, in a web host of its own.
/// To serve it from an application's host instead, use <c>AddPlexusControlServer</c>.
/// </summary>
/// <remarks>
/// State is kept in <see cref="ControlServerOptions.Storage"/>: in memory by default, where a
/// restarted service starts empty and nodes re-register when their next heartbeat is answered
/// "unknown"; in files or Redis, where a restarted service recovers its nodes, jobs and actors.
/// Application packages are files, kept across restarts with file storage or when
/// <see cref="ControlServerOptions.PackageDirectory"/> is set. Dispose the server to stop it and free its port.
/// </remarks>
internal sealed class ControlServer : IAsyncDisposable
{
    // Graceful shutdown budget: in-flight calls are small, so anything slower than this is stuck.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    // 0 while running, 1 once DisposeAsync has started; makes dispose idempotent.
    private int _disposed;

    private ControlServer(WebApplication app, ControlService service, Uri address)
    {
        _app = app;
        Address = address;
        Service = service;
        service.NodeDied += (_, e) => NodeDied?.Invoke(this, e);
    }

    /// <summary>
    /// Raised when a node is marked DEAD: it sent no heartbeat for
    /// <see cref="ControlServerOptions.HeartbeatTimeout"/>, or it unregistered. Raised on a
    /// background thread; an exception thrown by a handler is logged and otherwise ignored.
    /// </summary>
    public event EventHandler<NodeDiedEventArgs>? NodeDied;

    /// <summary>The service this server serves, for what the head's process adds beside it in-process (the dashboard).</summary>
    internal ControlService Service { get; }

    /// <summary>The address clients connect to, e.g. <c>http://127.0.0.1:41234/</c> (the bound port, also when <see cref="ControlServerOptions.Port"/> is 0).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts the control service and returns once it accepts calls. Its host reads no
    /// configuration files or environment variables and leaves the process's signals alone.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or out of range (e.g. an empty <see cref="ControlServerOptions.ClusterToken"/>, or a timeout not longer than the interval); the message names it.</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    /// <exception cref="Storage.ControlStorageUnavailableException">The <see cref="ControlServerOptions.Storage"/> cannot be opened: a Redis server that did not answer within 5 s, a directory that cannot be written; the message names it.</exception>
    public static async Task<ControlServer> StartAsync(ControlServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string problems = string.Join(" ", ControlServerOptionsValidator.Problems(options));
        if (problems.Length > 0)
        {
            throw new ArgumentException($"Invalid control server options: {problems}", nameof(options));
        }

        // The empty builder reads no configuration files, environment variables or command line:
        // the service is configured by its options alone, whatever process embeds it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ControlServer).Assembly.GetName().Name,
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, SignalFreeLifetime>());
        ForwardLogging(builder.Logging, options.LoggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.AddPlexusControlServer(options.CopyTo);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var app = builder.Build();
        app.UseClusterToken();
        app.MapPlexusControlServer();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = BoundAddress(app);
        var server = new ControlServer(app, app.Services.GetRequiredService<ControlService>(), address);
        ControlServerLog.ServerStarted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ControlServer>(), address);
        return server;
    }

    /// <summary>Stops accepting calls, stops failure detection and frees the port. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var shutdown = new CancellationTokenSource(ShutdownTimeout))
        {
            await _app.StopAsync(shutdown.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The web host and gRPC log a line per request (a heartbeat a second per node) and the
    /// host's lifetime: plumbing, passed on only from Warning up. The service's own categories
    /// reach the program's factory at every level, for it to filter.
    /// </summary>
    internal static void ForwardLogging(ILoggingBuilder logging, ILoggerFactory target)
    {
        logging.ClearProviders();
        logging.AddProvider(new ForwardingLoggerProvider(target));
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single());
    }
}
