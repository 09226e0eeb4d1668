using Plexus.Control.Packages;
using Plexus.Control.Service;

namespace Plexus.Control.Tests.Packages;

/// <summary>
/// A control service keeping its packages in a directory of the test's, reached over real gRPC
/// (<see cref="Grpc"/>) or in-process (<see cref="InProcess"/>): the package tests run through both.
/// </summary>
internal sealed class PackageTestService : IAsyncDisposable
{
    public const string Grpc = "grpc";
    public const string InProcess = "in-process";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IAsyncDisposable _owner;

    private PackageTestService(IAsyncDisposable owner, IControlClient client, ControlService? service, string packageDirectory)
    {
        _owner = owner;
        Client = client;
        Service = service;
        PackageDirectory = packageDirectory;
    }

    public IControlClient Client { get; }

    /// <summary>The service itself, to read its counters; null over gRPC.</summary>
    public ControlService? Service { get; }

    public string PackageDirectory { get; }

    /// <summary>The files of uploads still arriving (or cut and not yet cleaned up); none before the first upload reached the service.</summary>
    public IEnumerable<string> Incoming
    {
        get
        {
            string incoming = Path.Combine(PackageDirectory, "incoming");
            return Directory.Exists(incoming) ? Directory.EnumerateFiles(incoming) : [];
        }
    }

    public static async Task<PackageTestService> StartAsync(string kind, string packageDirectory, PackageLimits? limits = null)
    {
        if (kind == Grpc)
        {
            var cluster = await ControlTestCluster.StartAsync(Timeout, Interval, packageDirectory: packageDirectory);
            return new PackageTestService(cluster, cluster.Client, service: null, packageDirectory);
        }

        var local = await InProcessControlService.StartAsync(Interval, Timeout, packageDirectory: packageDirectory, packageLimits: limits);
        return new PackageTestService(local, local.Client, local.Service, packageDirectory);
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
