using System.Diagnostics;
using Plexus.Data.Worker;

namespace Plexus.Data.Actors;

/// <summary>
/// One run's actors for a stateful stage. Each block goes to the actor with the fewest calls in
/// flight; when every actor has <see cref="ActorPoolSpec.CallsPerActor"/> and the pool is under its
/// maximum, one more actor starts; actors idle for <see cref="IdleTimeout"/> above the minimum stop.
/// Every actor stops when the run ends. An actor's worker that dies is restarted by Plexus and its
/// calls are sent again (<c>MaxRestarts</c>, <c>MaxTaskRetries</c>).
/// </summary>
internal sealed class ActorPool(PlexusRuntime plexus, ActorPoolSpec spec) : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private readonly List<Member> actors = [];

    /// <summary>Sends the block to an actor; the executor calls <c>Done</c> once it has the answer (or gave up on it).</summary>
    public async ValueTask<(ObjectRef<byte[]> Result, Action Done)> SubmitAsync(StageTask task, ObjectRef<byte[]>? input)
    {
        while (actors.Count < spec.Size.Min)
        {
            await StartAsync().ConfigureAwait(false);
        }

        var chosen = actors.MinBy(a => a.InFlight)!;
        if (chosen.InFlight >= ActorPoolSpec.CallsPerActor && actors.Count < spec.Size.Max)
        {
            chosen = await StartAsync().ConfigureAwait(false);
        }

        StopIdle(chosen);
        ObjectRef<byte[]>[] inputs = input is null ? [] : [input];
        var result = chosen.Handle.Call(host => host.RunAsync(task, inputs));
        chosen.InFlight++;
        var done = 0;
        return (result, () =>
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                chosen.Answered();
            }
        });
    }

    public void Dispose()
    {
        foreach (var member in actors)
        {
            member.Handle.Kill();
            member.Handle.Dispose();
        }

        actors.Clear();
    }

    private async Task<Member> StartAsync()
    {
        var factory = spec.Mapper;
        var handle = await plexus.Actor(() => new BatchActorHost(factory))
            .WithOptions(new ActorOptions { Cpus = spec.Cpus, Resources = spec.Resources, MaxRestarts = 3, MaxTaskRetries = 3 })
            .RemoteAsync().ConfigureAwait(false);
        var member = new Member(handle);
        actors.Add(member);
        return member;
    }

    private void StopIdle(Member keep)
    {
        foreach (var idle in actors.Where(a => a != keep && a.IdleFor > IdleTimeout).ToList())
        {
            if (actors.Count <= spec.Size.Min)
            {
                return;
            }

            idle.Handle.Kill();
            idle.Handle.Dispose();
            actors.Remove(idle);
        }
    }

    private sealed class Member(ActorHandle<BatchActorHost> handle)
    {
        private long idleSince = Stopwatch.GetTimestamp();

        public ActorHandle<BatchActorHost> Handle { get; } = handle;

        public int InFlight { get; set; }

        public TimeSpan IdleFor => InFlight > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(idleSince);

        public void Answered()
        {
            if (--InFlight == 0)
            {
                idleSince = Stopwatch.GetTimestamp();
            }
        }
    }
}
