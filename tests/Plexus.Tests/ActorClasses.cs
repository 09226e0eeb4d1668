namespace Plexus.Tests;

/// <summary>A counter: the actor of most tests.</summary>
public sealed class Counter(int start)
{
    private int _value = start;

    public int Add(int amount) => _value += amount;

    public int Value() => _value;

    public int ProcessId() => Environment.ProcessId;

    public async Task<int> AddLaterAsync(int amount)
    {
        await Task.Yield();
        return _value += amount;
    }
}

/// <summary>Reads the refs it is given and forgets them without disposing.</summary>
public sealed class Forgetful
{
    public async Task<int> ReadAsync(Box box) => (await box.Data).Length;
}

/// <summary>Appends entries in the order calls run.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public int Append(string entry)
    {
        _entries.Add(entry);
        return _entries.Count;
    }

    public string[] Entries() => [.. _entries];
}

/// <summary>Measures how many calls overlap.</summary>
public sealed class OverlapMeter
{
    private int _running;
    private int _most;

    public async Task<int> WorkAsync(int milliseconds)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, seen) != seen)
        {
        }

        await Task.Delay(milliseconds);
        Interlocked.Decrement(ref _running);
        return now;
    }

    public int Most() => _most;
}

/// <summary>Methods that throw.</summary>
public sealed class Faulty
{
    private int _calls;

    public int Boom(string message)
    {
        _calls++;
        throw new InvalidOperationException(message);
    }

    public int Calls() => ++_calls;
}

/// <summary>A constructor that throws.</summary>
public sealed class BrokenAtBirth
{
    public BrokenAtBirth(string reason) => throw new ArgumentException(reason);

    public int Ok() => 1;
}

public static class ActorFunctions
{
    // Handles a worker keeps after its task returns: it holds them until it exits.
    private static readonly List<object> KeptHandles = [];

    /// <summary>Keeps the handle in a static field and returns the worker's pid.</summary>
    public static int KeepHandle(ActorHandle<Counter> counter)
    {
        lock (KeptHandles)
        {
            KeptHandles.Add(counter);
        }

        return Environment.ProcessId;
    }

    /// <summary>A task that calls an actor through a handle it was given.</summary>
    public static async Task<int> AddThroughHandleAsync(ActorHandle<Counter> counter, int amount) =>
        await counter.Call(c => c.Add(amount));

    /// <summary>Appends <paramref name="count"/> numbered entries from this task, waiting for none.</summary>
    public static async Task<int> AppendManyAsync(ActorHandle<Journal> journal, string caller, int count)
    {
        var calls = new List<ObjectRef<int>>();
        for (var i = 0; i < count; i++)
        {
            calls.Add(journal.Call(j => j.Append($"{caller}:{i}")));
        }

        foreach (var call in calls)
        {
            await call;
        }

        return count;
    }
}

/// <summary>A value that holds an actor handle.</summary>
public sealed record CounterBox(ActorHandle<Counter> Counter);
