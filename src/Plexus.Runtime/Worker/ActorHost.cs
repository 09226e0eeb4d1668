using System.Collections.Concurrent;
using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>The actors this worker hosts, by id: many share one process, each one small while idle.</summary>
internal sealed class ActorHost(CoreRuntime runtime, Action<double> reserveCpus)
{
    private readonly ConcurrentDictionary<TaskId, HostedActor> _actors = new();

    public int Count => _actors.Count;

    public void Receive(Message message)
    {
        switch (message)
        {
            case HostActor host:
                Host(host);
                break;
            case CallActor call:
                Call(call.Call);
                break;
            case KillActor kill:
                Kill(kill);
                break;
            case ProcessExited exited:
                // Calls a dead caller sent ahead of one it never will: nobody waits for them.
                foreach (var actor in _actors.Values)
                {
                    actor.ForgetCaller(exited.Process);
                }

                break;
            default:
                break;
        }
    }

    public void Host(HostActor host)
    {
        var actor = new HostedActor(runtime, host);
        if (_actors.TryAdd(host.Spec.Id, actor))
        {
            reserveCpus(host.Spec.Cpus);
            actor.Start();
        }
    }

    public void Call(ActorCall call)
    {
        if (_actors.TryGetValue(call.Actor, out var actor))
        {
            actor.Enqueue(call);
        }
    }

    public void Kill(KillActor kill)
    {
        if (_actors.TryRemove(kill.Actor, out var actor))
        {
            reserveCpus(-actor.Spec.Cpus);
            actor.End(ErrorInfo.Of(ErrorKind.ActorDied, kill.Reason, actor.Spec.Name) with { Cause = kill.Cause });
        }
    }
}
