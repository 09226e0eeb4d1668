using Plexus.Data.Worker;

namespace Plexus.Data.Actors;

/// <summary>
/// One run's actors for a stateful stage. Each block goes to the actor with the fewest calls in
/// flight; when every actor has <see cref="ActorPoolSpec.CallsPerActor"/> and the pool is under its
/// maximum, one more actor starts. An autoscaled pool checks every <see cref="ReapInterval"/> for
/// actors idle for <see cref="IdleTimeout"/> above the minimum and stops them, giving back what they
/// reserved, whether or not blocks are still being submitted. Every actor stops when the run ends.
/// </summary>
/// <remarks>
/// An actor's worker that dies is restarted by Plexus and its calls are sent again
/// (<c>MaxRestarts</c>, <c>MaxTaskRetries</c>); once Plexus gives up on it, the calls it held fail
/// with <see cref="ActorDiedException"/>, and <see cref="ActorCall.ResendAsync"/> drops it from the
/// pool and sends the block to another actor (a new one when none is left).
/// </remarks>
internal sealed class ActorPool : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan ReapInterval = TimeSpan.FromSeconds(1);

    private readonly PlexusRuntime plexus;
    private readonly ActorPoolSpec spec;

    // Guards actors and every member's calls: calls are answered on the consumer's path, and idle actors are reaped on a timer.
    private readonly Lock gate = new();

    // The live actors, each with its calls in flight.
    private readonly List<ActorMember> actors = [];

    // Stops the reaper when the run ends.
    private readonly CancellationTokenSource stopping = new();

    public ActorPool(PlexusRuntime plexus, ActorPoolSpec spec)
    {
        this.plexus = plexus;
        this.spec = spec;
        if (spec.Size.Min < spec.Size.Max)
        {
            _ = ReapIdleAsync(stopping.Token);
        }
    }

    /// <summary>Sends the block to an actor; the executor answers the call once it has the result (or gave up on it).</summary>
    /// <param name="task">The stage's work on the block.</param>
    /// <param name="input">The block, or null when the task's source reads its own input.</param>
    /// <param name="resends">Times this block was sent before, to actors that died with it.</param>
    public async ValueTask<ActorCall> SubmitAsync(StageTask task, ObjectRef<byte[]>? input, int resends = 0)
    {
        var chosen = await ChooseAsync().ConfigureAwait(false);
        ObjectRef<byte[]>[] inputs = input is null ? [] : [input];
        var result = chosen.Handle.Call(host => host.RunAsync(task, inputs));
        lock (gate)
        {
            chosen.Called(result);
        }

        return new ActorCall(this, chosen, task, input, result) { Resends = resends };
    }

    public void Dispose()
    {
        stopping.Cancel();
        List<ActorMember> stopped;
        lock (gate)
        {
            stopped = [.. actors];
            actors.Clear();
        }

        foreach (var member in stopped)
        {
            member.Stop();
        }

        stopping.Dispose();
    }

    /// <summary>The actor with the fewest calls, starting one while the pool is under its minimum, or when all are busy and it may grow.</summary>
    private async ValueTask<ActorMember> ChooseAsync()
    {
        while (true)
        {
            lock (gate)
            {
                ActorMember? least = null;
                var fewest = int.MaxValue;
                foreach (var actor in actors)
                {
                    var pending = actor.CountPending();
                    if (pending < fewest)
                    {
                        (least, fewest) = (actor, pending);
                    }
                }

                var mustGrow = actors.Count < spec.Size.Min;
                var mayGrow = fewest >= ActorPoolSpec.CallsPerActor && actors.Count < spec.Size.Max;
                if (least is not null && !mustGrow && !mayGrow)
                {
                    return least;
                }
            }

            // Submissions come one at a time from the stage's executor, so no other start races this one;
            // the next pass chooses the new actor, which has no calls.
            var started = await StartAsync().ConfigureAwait(false);
            lock (gate)
            {
                actors.Add(started);
            }
        }
    }

    private async Task<ActorMember> StartAsync()
    {
        var factory = spec.Mapper;
        var handle = await plexus.Actor(() => new BatchActorHost(factory))
            .WithOptions(new ActorOptions { Cpus = spec.Cpus, Resources = spec.Resources, MaxRestarts = 3, MaxTaskRetries = 3 })
            .RemoteAsync().ConfigureAwait(false);
        return new ActorMember(handle);
    }

    /// <summary>Answers a call of <paramref name="member"/>: it has one fewer in flight.</summary>
    internal void Answered(ActorMember member, ObjectRef<byte[]> result)
    {
        lock (gate)
        {
            member.Answered(result);
        }
    }

    /// <summary>Drops an actor Plexus gave up on, so no more blocks go to it.</summary>
    internal void Remove(ActorMember member)
    {
        lock (gate)
        {
            if (!actors.Remove(member))
            {
                return;
            }
        }

        member.Stop();
    }

    private async Task ReapIdleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ReapInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                List<ActorMember> idle;
                lock (gate)
                {
                    idle = [.. actors.Where(a => a.IdleFor() > IdleTimeout).Take(actors.Count - spec.Size.Min)];
                    foreach (var member in idle)
                    {
                        actors.Remove(member);
                    }
                }

                foreach (var member in idle)
                {
                    member.Stop();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
