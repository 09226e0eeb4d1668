using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control.Actors;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>
/// Actor tables as the service builds them, over a store a test keeps (so it can load the table
/// again, as a restarted service does), and the actors tests register in them.
/// </summary>
internal static class ActorTables
{
    public static async Task<ActorTable> LoadAsync(IControlStore store, TimeProvider? time = null, int deadActorHistory = 10)
    {
        var table = new ActorTable(store, time ?? TimeProvider.System, deadActorHistory, NullLogger<ActorTable>.Instance);
        await table.LoadAsync(CancellationToken.None);
        return table;
    }

    /// <summary>A counter actor of a new job in namespace "shop", hosted by <paramref name="node"/> and created from <paramref name="owner"/>.</summary>
    public static Proto.ActorInfo Actor(ByteString node, ByteString owner, int maxRestarts, string name = "")
    {
        var job = ControlTestCluster.NewId();
        return new Proto.ActorInfo
        {
            ActorId = ByteString.CopyFrom([.. job, .. BitConverter.GetBytes(1L)]),
            JobId = ByteString.CopyFrom(job),
            Namespace = "shop",
            Name = name,
            ClassName = "Shop.Counter",
            NodeId = node,
            OwnerNodeId = owner,
            OwnerProcess = 3,
            MaxRestarts = maxRestarts,
        };
    }
}
