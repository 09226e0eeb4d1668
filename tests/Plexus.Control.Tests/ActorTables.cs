using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control.Actors;
using Plexus.Control.Storage;

namespace Plexus.Control.Tests;

/// <summary>Actor tables as the service builds them, over a store a test keeps (so it can load the table again, as a restarted service does).</summary>
internal static class ActorTables
{
    public static async Task<ActorTable> LoadAsync(IControlStore store, TimeProvider? time = null, int deadActorHistory = 10)
    {
        var table = new ActorTable(store, time ?? TimeProvider.System, deadActorHistory, NullLogger<ActorTable>.Instance);
        await table.LoadAsync(CancellationToken.None);
        return table;
    }
}
