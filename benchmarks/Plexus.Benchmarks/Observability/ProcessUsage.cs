using System.Diagnostics;
using System.Globalization;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// What this process (the driver, with the embedded cluster's node and control service) spent
/// over a run: CPU time and garbage collections. On a machine shared with other work the
/// figures (rates) swing with the load; CPU time and collections say where a difference comes from,
/// and the reasons for the full collections what causes them (<see cref="FullCollections"/>).
/// </summary>
internal sealed class ProcessUsage : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly int[] _collections = Collections();
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly FullCollections _full = new();

    private ProcessUsage()
    {
    }

    public static ProcessUsage Start() => new();

    /// <summary>"driver CPU 41.2 s in 62.0 s; collections 30/12/3 (gen 0/1/2), paused 0.41 s; 9.1 GB allocated; full collections: 3 small allocations".</summary>
    public string Describe()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        var collections = Collections().Zip(_collections, (now, before) => now - before);
        return string.Create(CultureInfo.InvariantCulture,
            $"driver CPU {cpu.TotalSeconds:F1} s in {_clock.Elapsed.TotalSeconds:F1} s; collections {string.Join('/', collections)} (gen 0/1/2), " +
            $"paused {(GC.GetTotalPauseDuration() - _paused).TotalSeconds:F2} s; {(GC.GetTotalAllocatedBytes() - _allocated) / 1e9:F1} GB allocated; {_full.Describe()}");
    }

    public void Dispose() => _full.Dispose();

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
}
