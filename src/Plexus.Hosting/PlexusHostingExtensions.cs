using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Plexus.Control;
using Plexus.Node;

namespace Plexus.Hosting;

/// <summary>Registers Plexus's daemons with a Generic Host.</summary>
internal static class PlexusHostingExtensions
{
    /// <summary>
    /// A node daemon with its store and worker pool, started with the host. Its options are
    /// validated when the host starts: a bad value fails the start with an
    /// <see cref="OptionsValidationException"/> naming it.
    /// </summary>
    public static IServiceCollection AddPlexusNode(this IServiceCollection services, Action<NodeOptions> configure, WorkerPoolPlan pool)
    {
        services.AddOptions<NodeOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>());
        services.AddSingleton(pool);
        services.AddSingleton<NodeService>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeService>());
        return services;
    }

    /// <summary>A host that installs no signal handlers, reads no configuration files and logs through <paramref name="loggerFactory"/>.</summary>
    public static HostApplicationBuilder CreateQuietBuilder(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        return builder;
    }
}
