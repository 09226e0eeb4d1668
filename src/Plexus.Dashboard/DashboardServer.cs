using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Dashboard.Access;
using Plexus.Dashboard.Api;
using Plexus.Dashboard.Assets;

namespace Plexus.Dashboard;

/// <summary>
/// The head's web dashboard: a web host of its own on its own port (HTTP/1.1 and HTTP/2
/// cleartext), in the process of the control service it shows, which it reads in-process (no
/// gRPC, no token of its own: <see cref="ControlService"/>'s queries read memory). It starts
/// before the service it reads, so that a port in use fails the head's start before the service
/// answers; requests that come before the service serves wait for it. Every request needs the
/// cluster token or the read-only token (<see cref="DashboardAccessMiddleware"/>). Dispose it to
/// stop it and free its port.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    // In-flight requests are small reads: anything slower than this is stuck.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    // 0 while running, 1 once DisposeAsync has started; makes dispose idempotent.
    private int _disposed;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the dashboard is served, e.g. <c>http://10.0.0.5:8265/</c> (the bound port, also when <see cref="DashboardOptions.Port"/> is 0).</summary>
    public Uri Address { get; }

    /// <summary>Starts the dashboard of the control service <paramref name="service"/> gives (once it serves) and returns once the dashboard listens.</summary>
    /// <exception cref="ArgumentException"><see cref="DashboardOptions.ClusterToken"/> is empty, or the port is out of range.</exception>
    /// <exception cref="DashboardPortUnavailableException">The port is in use; the message names the address and the flag.</exception>
    public static async Task<DashboardServer> StartAsync(
        DashboardOptions options, Task<ControlService> service, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, IPEndPoint.MinPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        var app = Build(options, service, loggerFactory, web => web.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.ListenAddress, options.Port);
        }));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new DashboardPortUnavailableException(new IPEndPoint(options.ListenAddress, options.Port).ToString(), e);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        DashboardLog.Started(loggerFactory.CreateLogger<DashboardServer>(), address);
        return new DashboardServer(app, address);
    }

    /// <summary>
    /// The dashboard's web application on the server <paramref name="server"/> configures (Kestrel,
    /// or the tests' in-memory server): access first, then the JSON API under <c>/api</c>, then the
    /// embedded pages. Its host reads no configuration and leaves the process's signals alone.
    /// </summary>
    internal static WebApplication Build(DashboardOptions options, Task<ControlService> service, ILoggerFactory loggerFactory, Action<IWebHostBuilder> server)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, SignalFreeLifetime>());
        ControlServer.ForwardLogging(builder.Logging, loggerFactory);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(new DashboardAccess(options.ClusterToken, options.ReadOnlyToken));
        builder.Services.AddSingleton(ClusterReader.OnceServingAsync(service));
        builder.Services.AddSingleton(EmbeddedAssets.Load());
        server(builder.WebHost);

        var app = builder.Build();
        app.Use(SecurityHeaders);
        app.UseMiddleware<DashboardAccessMiddleware>();
        DashboardApi.Map(app.MapGroup("/api"));
        var assets = app.Services.GetRequiredService<EmbeddedAssets>();
        app.MapGet("/{**path}", assets.ServeAsync);
        return app;
    }

    /// <summary>Stops serving and frees the port. Idempotent.</summary>
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

    // Everything the pages load is their own (no CDN, no inline script), and the address, which
    // held a token on the first visit, is never sent on as a referrer.
    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}
