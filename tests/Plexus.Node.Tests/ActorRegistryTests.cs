using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>
/// How a node uses a registry of actor names that answers later, as a cluster's control service
/// does: a named actor is created only once its name is reserved, a lookup answers with what the
/// registry found, and the registry hears of a named actor's end. Unnamed actors never reach it.
/// </summary>
public sealed class ActorRegistryTests
{
    private static readonly JobId Job = JobId.NewRandom();
    private static int _nextActor;

    [Fact]
    public async Task ANamedActorIsCreatedOnlyOnceTheRegistryReservesItsNameAndItsEndIsReported()
    {
        var registry = new DeferredRegistry();
        await using var test = new TestNode(options => options.ActorRegistry = registry);
        var received = new ConcurrentQueue<Message>();
        var send = test.AttachDriver(received.Enqueue);
        var spec = Actor(test, "counter");

        send(new CreateActor { RequestId = 1, Spec = spec });

        var (registered, node, _, answer) = Assert.Single(registry.Registrations);
        Assert.Equal(spec.Id, registered.Id);
        Assert.Equal(test.Node.NodeId, node);
        Assert.Empty(received);
        answer.SetResult(null);
        var created = await ReplyAsync<ActorCreated>(received, 1);
        Assert.Equal(spec.Id, created.Spec?.Id);

        send(new KillActor { Actor = spec.Id, Job = spec.Id.Job });

        Assert.Equal(spec.Id, Assert.Single(registry.Ends).Id);
    }

    [Fact]
    public async Task ANameTheRegistrySaysIsTakenIsRefusedOrGivesTheHolderToGetOrCreate()
    {
        var registry = new DeferredRegistry();
        await using var test = new TestNode(options => options.ActorRegistry = registry);
        var received = new ConcurrentQueue<Message>();
        var send = test.AttachDriver(received.Enqueue);
        var holder = new RegisteredActor(Actor(test, "counter"), Node: 77);

        send(new CreateActor { RequestId = 1, Spec = Actor(test, "counter") });
        send(new CreateActor { RequestId = 2, Spec = Actor(test, "counter"), GetIfExists = true });
        foreach (var (_, _, _, answer) in registry.Registrations)
        {
            answer.SetResult(holder);
        }

        var refused = await ReplyAsync<ActorCreated>(received, 1);
        Assert.Equal(ErrorKind.ActorNameTaken, refused.Error?.Kind);
        Assert.Contains(holder.Spec.Id.ToString(), refused.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(holder.Spec.Id, (await ReplyAsync<ActorCreated>(received, 2)).Spec?.Id);
        Assert.Empty(registry.Ends);
    }

    [Fact]
    public async Task ALookupAnswersWhatTheRegistryFoundAndSaysWhenItCouldNotAsk()
    {
        var registry = new DeferredRegistry();
        await using var test = new TestNode(options => options.ActorRegistry = registry);
        var received = new ConcurrentQueue<Message>();
        var send = test.AttachDriver(received.Enqueue);
        var elsewhere = new RegisteredActor(Actor(test, "counter"), Node: 77);

        send(new LookupActor { RequestId = 1, Namespace = "shop", Name = "counter" });
        send(new LookupActor { RequestId = 2, Namespace = "shop", Name = "missing" });
        send(new LookupActor { RequestId = 3, Namespace = "shop", Name = "unreachable" });
        registry.Lookups["counter"].SetResult(elsewhere);
        registry.Lookups["missing"].SetResult(null);
        registry.Lookups["unreachable"].SetException(new InvalidOperationException("the head is down"));

        Assert.Equal(elsewhere.Spec.Id, (await ReplyAsync<ActorCreated>(received, 1)).Spec?.Id);
        Assert.Equal(ErrorKind.ActorNotFound, (await ReplyAsync<ActorCreated>(received, 2)).Error?.Kind);
        var failed = await ReplyAsync<ActorCreated>(received, 3);
        Assert.Equal(ErrorKind.NodeUnavailable, failed.Error?.Kind);
        Assert.Contains("the head is down", failed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANamedActorNoNodeCanHostHasItsNameReservedBeforeItIsHeldAndADuplicateIsRefused()
    {
        var registry = new DeferredRegistry();
        await using var test = new TestNode(options => options.ActorRegistry = registry);
        var received = new ConcurrentQueue<Message>();
        var send = test.AttachDriver(received.Enqueue);
        var held = Actor(test, "counter") with { Resources = new Dictionary<string, double> { ["fpga"] = 1 } };

        send(new CreateActor { RequestId = 1, Spec = held });

        var registration = Assert.Single(registry.Registrations);
        Assert.Equal((held.Id, test.Node.NodeId, true), (registration.Actor.Id, registration.Node, registration.Held));
        Assert.Empty(received);
        registration.Answer.SetResult(null);
        Assert.Equal(held.Id, (await ReplyAsync<ActorCreated>(received, 1)).Spec?.Id);

        send(new CreateActor { RequestId = 2, Spec = Actor(test, "counter") with { Resources = held.Resources } });

        registry.Registrations.Last().Answer.SetResult(new RegisteredActor(held, test.Node.NodeId));
        var refused = await ReplyAsync<ActorCreated>(received, 2);
        Assert.Equal(ErrorKind.ActorNameTaken, refused.Error?.Kind);
        Assert.Contains(held.Id.ToString(), refused.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnnamedActorNeverReachesTheRegistry()
    {
        var registry = new DeferredRegistry();
        await using var test = new TestNode(options => options.ActorRegistry = registry);
        var received = new ConcurrentQueue<Message>();
        var send = test.AttachDriver(received.Enqueue);
        var spec = Actor(test, name: null);

        send(new CreateActor { RequestId = 1, Spec = spec });
        send(new KillActor { Actor = spec.Id, Job = spec.Id.Job });

        Assert.Equal(spec.Id, (await ReplyAsync<ActorCreated>(received, 1)).Spec?.Id);
        Assert.Empty(registry.Registrations);
        Assert.Empty(registry.Ends);
    }

    private static ActorSpec Actor(TestNode test, string? name) => new()
    {
        Id = TaskId.Root(Job).Child((ulong)Interlocked.Increment(ref _nextActor)),
        Owner = new ProcessAddress(test.Node.NodeId, ProcessAddress.DriverProcess),
        Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 1),
        Args = [],
        Name = name,
        Namespace = "shop",
    };

    private static Task<T> ReplyAsync<T>(ConcurrentQueue<Message> received, long requestId)
        where T : Message =>
        Eventually.ValueAsync(() => received.OfType<T>().SingleOrDefault(m => m.RequestId == requestId), reply => reply is not null, $"the answer to request {requestId}")!;

    /// <summary>A registry whose every answer the test gives, when it likes.</summary>
    private sealed class DeferredRegistry : IActorRegistry
    {
        public ConcurrentQueue<(ActorSpec Actor, ulong Node, bool Held, TaskCompletionSource<RegisteredActor?> Answer)> Registrations { get; } = new();

        public ConcurrentDictionary<string, TaskCompletionSource<RegisteredActor?>> Lookups { get; } = new();

        public ConcurrentQueue<ActorSpec> Ends { get; } = new();

        public ValueTask<RegisteredActor?> RegisterAsync(ActorSpec actor, ulong node, bool held, ActorCode code = default)
        {
            var answer = new TaskCompletionSource<RegisteredActor?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Registrations.Enqueue((actor, node, held, answer));
            return new ValueTask<RegisteredActor?>(answer.Task);
        }

        public ValueTask<RegisteredActor?> LookupAsync(string @namespace, string name) =>
            new(Lookups.GetOrAdd(name, _ => new TaskCompletionSource<RegisteredActor?>(TaskCreationOptions.RunContinuationsAsynchronously)).Task);

        public void Ended(ActorSpec actor, ulong node, string reason) => Ends.Enqueue(actor);

        public bool KeepsRestartableActors => false;

        public ValueTask<ActorWhereabouts?> FindAsync(TaskId actor) => ValueTask.FromResult<ActorWhereabouts?>(null);
    }
}
