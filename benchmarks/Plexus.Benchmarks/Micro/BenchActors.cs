namespace Plexus.Benchmarks.Micro;

/// <summary>The actors of the micro suite: an empty method, sync and async, with and without an argument.</summary>
public sealed class EchoActor
{
    public int Ping() => 0;

    public int Take(int value) => value;

    public int TakeBytes(byte[] bytes) => bytes.Length;

    public async Task<int> PingAsync()
    {
        await Task.CompletedTask;
        return 0;
    }

    public async Task<int> TakeAsync(int value)
    {
        await Task.CompletedTask;
        return value;
    }
}

/// <summary>An actor that holds nothing: what the idle-actor memory figure creates by the hundred thousand.</summary>
public sealed class IdleActor
{
    public int Ping() => 0;
}

/// <summary>Callers that run as tasks on workers, each calling its own actor (the n:n figures).</summary>
internal static class ActorCallers
{
    public static async Task<int> CallAsync(ActorHandle<EchoActor> actor, int count, int mode)
    {
        var calls = new ObjectRef<int>[count];
        using var argument = mode == 1 ? PlexusRuntime.Current.Put(7) : null;
        for (var i = 0; i < count; i++)
        {
            calls[i] = mode switch
            {
                1 => actor.Call(a => a.Take(Arg.Of(argument!))),
                2 => actor.Call(a => a.PingAsync()),
                _ => actor.Call(a => a.Ping()),
            };
        }

        foreach (var call in calls)
        {
            await call;
            call.Dispose();
        }

        return count;
    }
}
