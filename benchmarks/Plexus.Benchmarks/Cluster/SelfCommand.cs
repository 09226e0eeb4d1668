using HostCommandLine = Plexus.ClusterHosting.CommandLine;

namespace Plexus.Benchmarks.Cluster;

/// <summary>This benchmark program as a command (<c>dotnet Plexus.Benchmarks.dll ARGS</c>), to run one of its hidden commands on a node's host.</summary>
internal static class SelfCommand
{
    public static HostCommandLine With(params string[] arguments) => HostCommandLine.Dotnet(typeof(SelfCommand).Assembly.Location, arguments);
}
