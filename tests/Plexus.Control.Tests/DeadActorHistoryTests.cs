using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Plexus.Control.Actors;
using Plexus.Control.Storage;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Tests;

/// <summary>The actor table keeps only the most recently ended dead actors, in memory and in its store; live actors are all kept.</summary>
public sealed class DeadActorHistoryTests
{
    private const int History = 3;

    [Fact]
    public async Task OnlyTheMostRecentlyEndedDeadActorsAreKeptAndLiveOnesAllRemain()
    {
        var store = new InMemoryControlStore();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var table = await LoadAsync(store, time);
        var live = await RegisterAsync(table, count: 4, "live");
        var ended = await RegisterAsync(table, count: History + 2, "ended");

        foreach (var actor in ended)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await table.EndAsync(actor.ActorId, $"{actor.Name} killed", ByteString.Empty, CancellationToken.None);
        }

        string[] expected = [.. live.Select(Id), .. ended.TakeLast(History).Select(Id)];
        Assert.Equal(Sorted(expected), Sorted(table.List().Select(Id)));
        Assert.Equal(Sorted(expected), Sorted((await store.GetAllAsync(ControlTables.Actors, CancellationToken.None)).Select(e => e.Key)));
        var reloaded = await LoadAsync(store, time);
        Assert.Equal(Sorted(expected), Sorted(reloaded.List().Select(Id)));
        Assert.All(reloaded.List().Where(a => a.State == Proto.ActorState.Dead), a => Assert.Equal($"{a.Name} killed", a.DeathReason));

        // The reloaded table knows which of its dead actors ended first: that one goes next.
        time.Advance(TimeSpan.FromSeconds(1));
        await reloaded.EndAsync(live[0].ActorId, "killed after the restart", ByteString.Empty, CancellationToken.None);
        string[] afterRestart = [.. live.Select(Id), .. ended.TakeLast(History - 1).Select(Id)];
        Assert.Equal(Sorted(afterRestart), Sorted(reloaded.List().Select(Id)));
        Assert.Equal(Sorted(afterRestart), Sorted((await store.GetAllAsync(ControlTables.Actors, CancellationToken.None)).Select(e => e.Key)));
    }

    [Fact]
    public async Task AReloadWithASmallerHistoryForgetsTheOldestDeadActors()
    {
        var store = new InMemoryControlStore();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var table = await LoadAsync(store, time, history: 10);
        var ended = await RegisterAsync(table, count: 5, "ended");
        foreach (var actor in ended)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await table.EndAsync(actor.ActorId, "killed", ByteString.Empty, CancellationToken.None);
        }

        var reloaded = await LoadAsync(store, time, history: 2);

        string[] expected = [.. ended.TakeLast(2).Select(Id)];
        Assert.Equal(Sorted(expected), Sorted(reloaded.List().Select(Id)));
        Assert.Equal(Sorted(expected), Sorted((await store.GetAllAsync(ControlTables.Actors, CancellationToken.None)).Select(e => e.Key)));
    }

    private static Task<ActorTable> LoadAsync(IControlStore store, TimeProvider time, int history = History) => ActorTables.LoadAsync(store, time, history);

    private static async Task<List<Proto.ActorInfo>> RegisterAsync(ActorTable table, int count, string prefix)
    {
        var node = ByteString.CopyFrom(ControlTestCluster.NewId());
        var actors = new List<Proto.ActorInfo>();
        for (int i = 0; i < count; i++)
        {
            var job = ControlTestCluster.NewId();
            var actor = new Proto.ActorInfo
            {
                ActorId = ByteString.CopyFrom([.. job, .. BitConverter.GetBytes((long)i)]),
                JobId = ByteString.CopyFrom(job),
                Namespace = "shop",
                Name = $"{prefix}-{i}",
                ClassName = "Shop.Counter",
                NodeId = node,
                OwnerNodeId = node,
                OwnerProcess = 3,
            };
            Assert.True((await table.RegisterAsync(actor, _ => true, CancellationToken.None)).Registered);
            actors.Add(actor);
        }

        return actors;
    }

    private static string Id(Proto.ActorInfo actor) => Convert.ToHexStringLower(actor.ActorId.Span);

    private static IEnumerable<string> Sorted(IEnumerable<string> ids) => ids.Order(StringComparer.Ordinal);
}
