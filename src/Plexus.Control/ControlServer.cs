using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control.Jobs;
using Plexus.Control.Membership;
using Plexus.Control.Service;
using Plexus.Control.Storage;

namespace Plexus.Control;

/// <summary>
/// The control service of a Plexus cluster (runs on the head node): node membership, failure
/// detection by heartbeats, and the job table, served over gRPC (HTTP/2 cleartext).
/// </summary>
/// <remarks>
/// State is kept in memory: a restarted service starts empty, and nodes re-register when their
/// next heartbeat is answered "unknown". Dispose the server to stop it and free its port.
/// </remarks>
public sealed class ControlServer : IAsyncDisposable
{
    // Graceful shutdown budget: in-flight calls are small, so anything slower than this is stuck.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly FailureDetector _failureDetector;
    private readonly IControlStore _store;
    private readonly ILogger _logger;

    // 0 while running, 1 once DisposeAsync has started; makes dispose idempotent.
    private int _disposed;

    private ControlServer(WebApplication app, FailureDetector failureDetector, IControlStore store, MembershipTable membership, Uri address, ILogger logger)
    {
        _app = app;
        _failureDetector = failureDetector;
        _store = store;
        _logger = logger;
        Address = address;
        membership.NodeDied += OnNodeDied;
    }

    /// <summary>
    /// Raised when a node is marked DEAD: it sent no heartbeat for
    /// <see cref="ControlServerOptions.HeartbeatTimeout"/>, or it unregistered. Raised on a
    /// background thread; an exception thrown by a handler is logged and otherwise ignored.
    /// </summary>
    public event EventHandler<NodeDiedEventArgs>? NodeDied;

    /// <summary>The address clients connect to, e.g. <c>http://127.0.0.1:41234/</c> (the bound port, also when <see cref="ControlServerOptions.Port"/> is 0).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts the control service and returns once it accepts calls.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or out of range (e.g. an empty <see cref="ControlServerOptions.ClusterToken"/>, or a timeout not longer than the interval).</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<ControlServer> StartAsync(ControlServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var time = TimeProvider.System;
        IControlStore store = new InMemoryControlStore();
        var membership = new MembershipTable(store, time, loggerFactory.CreateLogger<MembershipTable>());
        var jobs = new JobTable(store, time, loggerFactory.CreateLogger<JobTable>());
        await membership.LoadAsync(cancellationToken).ConfigureAwait(false);
        await jobs.LoadAsync(cancellationToken).ConfigureAwait(false);

        // The empty builder reads no configuration files, environment variables or command line:
        // the service is configured by its options alone, whatever process embeds it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ControlServer).Assembly.GetName().Name,
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, SignalFreeLifetime>());
        // The web host and gRPC log a line per request (a heartbeat a second per node) and the
        // host's lifetime: plumbing, passed on only from Warning up. The service's own categories
        // reach the program's factory at every level, for it to filter.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Services.AddSingleton(membership);
        builder.Services.AddSingleton(jobs);
        builder.Services.AddSingleton(new ClusterToken(options.ClusterToken));
        builder.Services.AddSingleton(new ControlServiceSettings(options.HeartbeatInterval));
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ClusterTokenInterceptor>());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.ListenAddress, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
        });

        var app = builder.Build();
        app.MapGrpcService<ControlGrpcService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = BoundAddress(app);
        var failureDetector = new FailureDetector(membership, options.HeartbeatTimeout, time, loggerFactory.CreateLogger<FailureDetector>());
        var server = new ControlServer(app, failureDetector, store, membership, address, loggerFactory.CreateLogger<ControlServer>());
        failureDetector.Start();
        ControlLog.ServerStarted(server._logger, address);
        return server;
    }

    /// <summary>Stops accepting calls, stops failure detection and frees the port. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _failureDetector.DisposeAsync().ConfigureAwait(false);
        using (var shutdown = new CancellationTokenSource(ShutdownTimeout))
        {
            await _app.StopAsync(shutdown.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single());
    }

    private void OnNodeDied(NodeDiedEventArgs e)
    {
        try
        {
            NodeDied?.Invoke(this, e);
        }
        catch (Exception exception)
        {
            ControlLog.NodeDiedHandlerFailed(_logger, exception, Convert.ToHexStringLower(e.NodeId));
        }
    }
}
