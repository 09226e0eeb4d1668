using System.Globalization;
using System.Runtime.InteropServices;
using Plexus.Benchmarks.Micro;

namespace Plexus.Benchmarks.Observability;

/// <summary>
/// The CPU time and context switches the embedded cluster (this process: driver, node and control
/// service; and its child processes: the workers) spent over a figure's measured window, per unit
/// of work, and the bytes this process allocated. Counts that survive a loaded machine, unlike rates: another program's load slows a
/// round trip but does not make it cost more CPU, so a difference of a few percent between
/// telemetry on and off shows here long before it shows in the figures.
/// </summary>
/// <remarks>
/// CPU time is read from each process's CPU-time clock (<c>clock_getcpuclockid</c>): nanoseconds,
/// its threads that ended included, where <c>/proc/PID/stat</c> counts in hundredths of a second.
/// Context switches are summed over <c>/proc/PID/task/*/status</c> (a thread that ends in the
/// window takes its count with it). A worker that exits during a window takes its CPU time with
/// it; one that starts counts from zero.
/// </remarks>
internal sealed partial class ClusterCost : IMeasuredWindow
{
    private readonly int _self = Environment.ProcessId;
    // Each process's CPU nanoseconds and context switches when the window began, by pid.
    private Dictionary<int, (long Nanoseconds, long Switches)> _begin = [];

    // This process's allocated bytes when the window began.
    private long _allocated;

    /// <summary>The last window's CPU microseconds, context switches and this process's allocated bytes per unit of work; null before one ended.</summary>
    public WindowCost? PerUnit { get; private set; }

    public void Begin()
    {
        PerUnit = null;
        _begin = Sample();
        _allocated = GC.GetTotalAllocatedBytes();
    }

    public void End(long units)
    {
        var allocated = GC.GetTotalAllocatedBytes() - _allocated;
        long nanoseconds = 0;
        long switches = 0;
        foreach (var (pid, now) in Sample())
        {
            var before = _begin.GetValueOrDefault(pid);
            nanoseconds += now.Nanoseconds - before.Nanoseconds;
            switches += now.Switches - before.Switches;
        }

        PerUnit = new WindowCost(nanoseconds / 1e3 / units, (double)switches / units, (double)allocated / units);
    }

    private Dictionary<int, (long Nanoseconds, long Switches)> Sample()
    {
        var sample = new Dictionary<int, (long Nanoseconds, long Switches)>();
        foreach (var pid in Children().Prepend(_self))
        {
            if (CpuNanoseconds(pid) is { } nanoseconds)
            {
                sample[pid] = (nanoseconds, ContextSwitches(pid));
            }
        }

        return sample;
    }

    // The kernel lists each thread's children in /proc/self/task/TID/children.
    private static IEnumerable<int> Children() =>
        Directory.EnumerateDirectories("/proc/self/task")
            .SelectMany(thread => ReadOrEmpty(Path.Combine(thread, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))
            .ToList();

    private static long ContextSwitches(int pid)
    {
        long switches = 0;
        IEnumerable<string> threads;
        try
        {
            threads = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }

        foreach (var thread in threads)
        {
            foreach (var line in ReadOrEmpty(Path.Combine(thread, "status")).Split('\n'))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    switches += long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }

        return switches;
    }

    // A thread or process that ended between listing and reading counts as nothing.
    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return string.Empty;
        }
    }

    // Null when the process has ended.
    private static long? CpuNanoseconds(int pid)
    {
        if (clock_getcpuclockid(pid, out var clock) != 0 || clock_gettime(clock, out var time) != 0)
        {
            return null;
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_getcpuclockid(int pid, out int clock);

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out TimeSpec time);
}

/// <summary>What a unit of work (a task, a call, a batch) cost the embedded cluster over a measured window.</summary>
internal readonly record struct WindowCost(double CpuMicroseconds, double Switches, double AllocatedBytes)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"cluster CPU {CpuMicroseconds:F1} us, {Switches:F2} context switches, driver allocated {AllocatedBytes:F0} B per unit");
}
