using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Cluster;

/// <summary>Task functions of the cluster suite. Static, so workers find them by metadata token.</summary>
internal static class ClusterTasks
{
    /// <summary>Reads a stored array in place (zero copy, pinned on this node): the length, once its bytes are here.</summary>
    public static int Length(ReadOnlyMemory<byte> bytes) => bytes.Length;

    /// <summary>Creates an actor on the node running this task and hands back its handle.</summary>
    public static ActorHandle<EchoActor> CreateActorHere() => PlexusRuntime.Current.Actor(() => new EchoActor()).Remote();
}
