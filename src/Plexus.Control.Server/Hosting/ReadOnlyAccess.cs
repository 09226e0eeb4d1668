using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The cluster's read-only token (<see cref="ControlServerOptions.ReadOnlyToken"/>) and what it
/// may call: the state API's queries (tasks, workers, actors, timelines, objects, the memory
/// report, the nodes' log files) and the control service's listings of nodes and jobs, which read
/// and change nothing. Registration, heartbeats, task event reports, control mutations,
/// submissions and everything else need the cluster token. A read added later is refused with this
/// token until it is listed here.
/// </summary>
internal sealed class ReadOnlyAccess(string? token)
{
    private static readonly FrozenSet<string> ReadCalls = Calls(
            Plexus.Protocol.Control.PlexusState.Descriptor.FullName,
            "ListTasks", "SummarizeTasks", "ListWorkers", "ListActors", "GetTimeline", "ListObjects", "GetMemoryReport", "ReadNodeLog")
        .Concat(Calls(Plexus.Protocol.Control.ControlService.Descriptor.FullName, "ListNodes", "ListJobs"))
        .ToFrozenSet(StringComparer.Ordinal);

    // Null when the head made none: then nothing matches it.
    private readonly ClusterToken? _token = string.IsNullOrEmpty(token) ? null : new ClusterToken(token);

    /// <summary>Whether <paramref name="presented"/> is the read-only token (compared in constant time).</summary>
    public bool Matches(string? presented) => _token?.Matches(presented) == true;

    /// <summary>Whether the read-only token may make the gRPC call at <paramref name="path"/> (<c>/package.Service/Method</c>).</summary>
    public static bool Allows(PathString path) => path.Value is { } value && ReadCalls.Contains(value);

    private static IEnumerable<string> Calls(string service, params string[] methods) => methods.Select(method => $"/{service}/{method}");
}
