using Microsoft.Extensions.Logging;

namespace Plexus.Binding;

/// <summary>
/// Starts or joins a cluster for a driver. Implemented by <c>Plexus.Hosting</c>, which the API
/// assembly does not reference (it sits below the runtime and the hosting): it is found by name
/// when a program first starts a runtime.
/// </summary>
internal abstract class ClusterLauncher
{
    private const string ImplementationName = "Plexus.Hosting.EmbeddedClusterLauncher, Plexus.Hosting";

    private static readonly Lazy<ClusterLauncher> Instance = new(Load);

    public static ClusterLauncher Default => Instance.Value;

    public abstract Task<(RuntimeCore Runtime, ClusterConnection Cluster)> StartLocalAsync(
        PlexusOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken);

    public abstract Task<(RuntimeCore Runtime, ClusterConnection Cluster)> ConnectAsync(
        ClusterAddress address, PlexusOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Joins a multi-machine cluster whose head's control service is at <paramref name="head"/>
    /// (<c>http://host:port</c>); a node the driver brings logs through <paramref name="loggerFactory"/>.
    /// </summary>
    public abstract Task<(RuntimeCore Runtime, ClusterConnection Cluster)> JoinAsync(
        Uri head, PlexusOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken);

    private static ClusterLauncher Load()
    {
        var type = Type.GetType(ImplementationName, throwOnError: false)
            ?? throw new InvalidOperationException(
                "Plexus.Hosting.dll was not found beside the program: reference the Plexus package (not only Plexus.Api), which brings the runtime and the embedded cluster.");
        return (ClusterLauncher)Activator.CreateInstance(type, nonPublic: true)!;
    }
}
