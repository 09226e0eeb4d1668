namespace Plexus.Core;

/// <summary>
/// Frees the objects that dropped (never disposed) handles keep, without waiting for the .NET
/// garbage collector to happen to run: an idle process allocates nothing, so its collector never
/// runs, and what its forgotten handles reference would stay in the store until store pressure.
/// </summary>
/// <remarks>
/// Every tick (<see cref="Tick"/>) it looks at the runtime's activity count, bumped whenever a
/// handle is made or a task or call finishes (a plain increment: only "has it changed" matters).
/// When there was activity since the last collection but none during the last tick, the process
/// has gone quiet with possible garbage: it collects, waits for finalizers and sends the releases,
/// so such an object goes within about two ticks. A process that stays busy collects young
/// generations at most every <see cref="BusyInterval"/>, which costs well under a millisecond; its
/// old garbage goes when it next goes quiet. A process with a large heap (the user's data, in a
/// driver or an actor) gets a young collection when it goes quiet, and a full one at most every
/// <see cref="LargeHeapFullInterval"/>, so frequent short pauses never cost it a full blocking
/// collection each.
/// </remarks>
internal sealed class IdleCollector : IDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan BusyInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LargeHeapFullInterval = TimeSpan.FromSeconds(30);
    private const long LargeHeapBytes = 256L << 20;

    private readonly CoreRuntime _runtime;
    private readonly Timer _timer;
    // Only the timer's callback touches these (callbacks never overlap: see Run).
    private long _seenAtLastTick;
    private long _seenAtLastCollection;
    private long _lastCollection = Environment.TickCount64;
    private long _lastFullCollection = Environment.TickCount64;
    private int _running;

    public IdleCollector(CoreRuntime runtime)
    {
        _runtime = runtime;
        _timer = new Timer(static state => ((IdleCollector)state!).Run(), this, Tick, Tick);
    }

    public void Dispose() => _timer.Dispose();

    private void Run()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            var activity = _runtime.Activity;
            var quiet = activity == _seenAtLastTick;
            _seenAtLastTick = activity;
            if (activity == _seenAtLastCollection)
            {
                return;
            }

            var now = Environment.TickCount64;
            if (quiet)
            {
                var full = GC.GetGCMemoryInfo().HeapSizeBytes <= LargeHeapBytes || now - _lastFullCollection >= LargeHeapFullInterval.TotalMilliseconds;
                Collect(full ? GC.MaxGeneration : 1);
                if (full)
                {
                    _lastFullCollection = now;
                }
            }
            else if (now - _lastCollection >= BusyInterval.TotalMilliseconds)
            {
                Collect(1);
            }
            else
            {
                return;
            }

            _seenAtLastCollection = activity;
            _lastCollection = now;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void Collect(int generation)
    {
        GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        _runtime.ReleaseFinalizedNow();
    }
}
