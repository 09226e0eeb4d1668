using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Hosting.Cluster;
using Plexus.Node;
using Plexus.Protocol.Messages;

namespace Plexus.Cluster;

/// <summary>
/// The actor names of a node of a cluster, kept by the control service: a name is unique among the
/// live actors of its namespace in the whole cluster, and found from every node (the service names
/// the node hosting it, or holding it until a node can host it). Named and restartable actors come
/// here (the service restarts the latter when their node dies, from the spec registered with them); calls never do.
/// </summary>
/// <remarks>
/// The node makes its requests under its lock; they leave in that order, one at a time, from a loop
/// of their own. So an actor's end reaches the service before a later registration of its name from
/// this node: a kill and then a create of the same name work as on one node. A kill on one node and
/// a create on another are not ordered (the create may be refused until the end arrives). While the
/// service is unavailable (its head restarts it) a request is made again for up to
/// <see cref="ControlServiceRetry.Patience"/> before it fails, and the ones after it wait their turn.
/// </remarks>
internal sealed class ControlActorRegistry : IActorRegistry, IAsyncDisposable
{
    private readonly IControlClient _control;
    private readonly ILogger _logger;
    // The node's requests not sent yet, in the order it made them; only SendAsync reads them.
    private readonly Channel<Func<CancellationToken, Task>> _requests =
        Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sending;

    public ControlActorRegistry(IControlClient control, ILogger logger)
    {
        _control = control;
        _logger = logger;
        _sending = Task.Run(SendAsync);
    }

    // A held actor is registered PENDING at its holding node; the node hosting it in the end registers it ALIVE, which moves it (the service keeps its name).
    public ValueTask<RegisteredActor?> RegisterAsync(ActorSpec actor, ulong node, bool held, ActorCode code = default) => Enqueue(async cancellationToken =>
    {
        var registration = await ControlServiceRetry.CallAsync(
            token => _control.RegisterActorAsync(ToInfo(actor, node, held, code), token), Unavailable, cancellationToken).ConfigureAwait(false);
        return registration.Registered ? null : ToRegistered(registration.Holder!);
    });

    public ValueTask<RegisteredActor?> LookupAsync(string @namespace, string name) => Enqueue(async cancellationToken =>
        await ControlServiceRetry.CallAsync(token => _control.LookupActorAsync(@namespace, name, token), Unavailable, cancellationToken).ConfigureAwait(false) is { } found
            ? ToRegistered(found)
            : null);

    public bool KeepsRestartableActors => true;

    // Not in the ordered loop: a node waiting for an actor's restart asks this over and over, and
    // nothing it asks depends on the node's own registrations in flight.
    public ValueTask<ActorWhereabouts?> FindAsync(TaskId actor) => new(Task.Run(async () =>
        await _control.LookupActorByIdAsync(ControlIds.Actor(actor), _stopping.Token).ConfigureAwait(false) is { } found ? ToWhereabouts(found) : null));

    public void Ended(ActorSpec actor, ulong node, string reason) => _requests.Writer.TryWrite(async cancellationToken =>
    {
        try
        {
            await ControlServiceRetry.CallAsync(
                token => _control.EndActorAsync(ControlIds.Actor(actor.Id), reason, ControlIds.Node(node), token), Unavailable, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is stopping: the service marks its actors dead when it leaves.
        }
        catch (Exception e)
        {
            // Nobody waits for this answer: the name stays taken until the service hears this node died.
            _logger.LogWarning("The control service was not told that actor {Actor} ('{Name}' in '{Namespace}') ended: {Reason}",
                actor.Id, actor.Name, actor.Namespace, e.Message);
        }
    });

    /// <summary>Stops sending; requests not answered yet fail with <see cref="OperationCanceledException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sending.ConfigureAwait(false);
        while (_requests.Reader.TryRead(out var request))
        {
            await request(_stopping.Token).ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private ValueTask<RegisteredActor?> Enqueue(Func<CancellationToken, Task<RegisteredActor?>> request)
    {
        // Answered on the thread pool: the node's continuation takes its lock, which must not hold up this loop.
        var answer = new TaskCompletionSource<RegisteredActor?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.Writer.TryWrite(async cancellationToken =>
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    answer.TrySetResult(await request(cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e)
                {
                    answer.TrySetException(e);
                }
            }))
        {
            answer.TrySetException(new ObjectDisposedException(nameof(ControlActorRegistry), "The node is stopping: it no longer asks the control service about actors."));
        }

        return new ValueTask<RegisteredActor?>(answer.Task);
    }

    private async Task SendAsync()
    {
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await request(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed: what is left is failed there.
        }
    }

    // Said once per request: the service may be restarting, and the request waits for it.
    private void Unavailable(ControlServiceUnavailableException e, int attempt)
    {
        if (attempt == 1)
        {
            _logger.LogWarning("The control service is unavailable ({Problem}); {Operation} is made again until it answers, for up to {Patience} s",
                e.Message, e.Operation, ControlServiceRetry.Patience.TotalSeconds);
        }
    }

    /// <summary>
    /// The record the control service keeps of <paramref name="actor"/>, hosted (or held) by
    /// <paramref name="node"/>: a restartable one carries its spec and what it asks of a node, so
    /// that another node can build it when this one dies (not one bound to this node alone).
    /// </summary>
    internal static ActorInfo ToInfo(ActorSpec actor, ulong node, bool held, ActorCode code = default) => new()
    {
        MaxRestarts = actor.MaxRestarts,
        Spec = actor.Restartable && actor.Placement is not { Kind: PlacementKind.NodeAffinity, Soft: false } ? ActorSpecs.Encode(actor, code) : null,
        Demand = DemandOf(actor),
        State = held ? ActorState.Pending : ActorState.Alive,
        ActorId = ControlIds.Actor(actor.Id),
        JobId = ControlIds.Job(actor.Id.Job),
        Namespace = actor.Namespace,
        Name = actor.Name,
        ClassName = actor.Constructor.Type,
        Detached = actor.Detached,
        NodeId = ControlIds.Node(node),
        OwnerNodeId = ControlIds.Node(actor.Owner.Node),
        OwnerProcess = actor.Owner.Process,
    };

    private static Dictionary<string, double> DemandOf(ActorSpec actor)
    {
        var demand = new Dictionary<string, double>(actor.Resources ?? []);
        if (actor.Cpus > 0)
        {
            demand[Resources.Cpu] = actor.Cpus;
        }

        return demand;
    }

    private static ActorWhereabouts ToWhereabouts(ActorInfo actor) => new(
        ControlIds.NodeOf(actor.NodeId),
        actor.State == ActorState.Restarting,
        actor.State == ActorState.Dead ? (actor.DeathReason ?? "it ended", (ActorDeathCause)actor.DeathCause) : null,
        actor.MaxRestarts,
        ActorSpecs.Decode(actor.Spec)?.Spec.MaxTaskRetries ?? 0);

    // As much of the spec as a handle needs (an actor handle that travels carries no more): its constructor has run already.
    private static RegisteredActor ToRegistered(ActorInfo actor) => new(
        new ActorSpec
        {
            Id = ControlIds.ActorOf(actor.ActorId) ?? throw new InvalidDataException($"The control service named an actor by a malformed id ({Convert.ToHexStringLower(actor.ActorId)})."),
            Owner = new ProcessAddress(ControlIds.NodeOf(actor.OwnerNodeId), actor.OwnerProcess),
            Constructor = new FunctionDescriptor(string.Empty, actor.ClassName, ".ctor", 0),
            Args = [],
            Name = actor.Name,
            Namespace = actor.Namespace,
            Detached = actor.Detached,
        },
        ControlIds.NodeOf(actor.NodeId),
        actor.State == ActorState.Restarting);
}
