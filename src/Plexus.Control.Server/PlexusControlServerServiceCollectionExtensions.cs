using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Plexus.Control;
using Plexus.Control.Server.Hosting;
using Plexus.Control.Service;
using Plexus.Control.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Plexus control server to an application's host.</summary>
internal static class PlexusControlServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the control service and its gRPC server: the service starts and stops with the host,
    /// Kestrel gets an HTTP/2 endpoint on <see cref="ControlServerOptions.ListenAddress"/> and
    /// <see cref="ControlServerOptions.Port"/>. Map the service with <c>MapPlexusControlServer()</c>
    /// on the built application, after <c>UseClusterToken()</c>, which refuses every request without
    /// <see cref="ControlServerOptions.ClusterToken"/>. State is kept in
    /// <see cref="ControlServerOptions.Storage"/>, application packages under <see cref="ControlServerOptions.PackageDirectory"/>.
    /// </summary>
    /// <remarks>
    /// The options are validated when the host starts: a bad one (an empty token, a port out of
    /// range, a heartbeat timeout not longer than the interval) fails the start with an
    /// <see cref="OptionsValidationException"/> whose message names it. The service logs through
    /// the host's logging; <see cref="ControlServerOptions.LoggerFactory"/> is not used here.
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the options; <see cref="ControlServerOptions.ClusterToken"/> at least.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddPlexusControlServer(this IServiceCollection services, Action<ControlServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ControlServerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlServerOptions>, ControlServerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, ControlEndpointSetup>());

        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<ControlServerOptions>>().Value;
            return new ControlService(options.ToServiceSettings(), OpenStore(options), TimeProvider.System, provider.GetRequiredService<ILoggerFactory>());
        });
        services.TryAddSingleton(static provider => new ClusterToken(provider.GetRequiredService<IOptions<ControlServerOptions>>().Value.ClusterToken));
        services.TryAddSingleton(static provider => new ReadOnlyAccess(provider.GetRequiredService<IOptions<ControlServerOptions>>().Value.ReadOnlyToken));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ControlServiceLifetime>());

        services.AddRoutingCore();
        // Interceptors for this service only: the application may serve gRPC services of its own.
        services.AddGrpc().AddServiceOptions<ControlGrpcService>(grpc =>
        {
            // A package manifest lists up to PackageLimits.MaxFiles paths: more than the 4 MiB default.
            grpc.MaxReceiveMessageSize = ControlClient.MaxMessageSize;
            // A call refused for its token never reaches these (ClusterTokenMiddleware): it is not counted.
            grpc.Interceptors.Add<CallCountingInterceptor>();
            grpc.Interceptors.Add<ControlErrorInterceptor>();
        }).AddServiceOptions<StateGrpcService>(grpc =>
        {
            grpc.Interceptors.Add<CallCountingInterceptor>();
            grpc.Interceptors.Add<ControlErrorInterceptor>();
        });
        services.AddGrpc().AddServiceOptions<JobsGrpcService>(grpc =>
        {
            grpc.Interceptors.Add<CallCountingInterceptor>();
            grpc.Interceptors.Add<ControlErrorInterceptor>();
        }).AddServiceOptions<DashboardAccessGrpcService>(grpc =>
        {
            grpc.Interceptors.Add<CallCountingInterceptor>();
            grpc.Interceptors.Add<ControlErrorInterceptor>();
        });
        return services;
    }

    // Validation ran before the service is resolved (ValidateOnStart), so the storage parses.
    private static IControlStore OpenStore(ControlServerOptions options) =>
        ControlStorage.TryParse(options.Storage, out var storage, out string? problem)
            ? ControlStores.Open(storage, ClusterIds.Of(options.ClusterToken))
            : throw new OptionsValidationException(nameof(ControlServerOptions), typeof(ControlServerOptions), [problem]);
}
