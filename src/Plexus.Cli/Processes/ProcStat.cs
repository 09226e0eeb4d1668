using System.Globalization;

namespace Plexus.Cli.Processes;

/// <summary>
/// What <c>/proc/&lt;pid&gt;/stat</c> says about a process: its state, parent and start time.
/// The start time (clock ticks since boot) is exact and never changes for a process, so together
/// with the pid it names one process even after the pid is reused; <see cref="System.Diagnostics.Process.StartTime"/>
/// is derived from it through the boot time and can differ by milliseconds between two readers.
/// </summary>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, ulong StartTicks)
{
    /// <summary>False for a process that has exited and waits to be reaped (zombie) or is being torn down.</summary>
    public bool IsRunning => State is not ('Z' or 'X' or 'x');

    /// <summary>Reads the process <paramref name="pid"/>; null when there is no such process.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, text);
    }

    /// <summary>Every running process whose parent chain leads to <paramref name="pid"/> (not <paramref name="pid"/> itself).</summary>
    public static IReadOnlyList<int> DescendantsOf(int pid)
    {
        var childrenOf = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int candidate)
                && Read(candidate) is { IsRunning: true } stat)
            {
                if (!childrenOf.TryGetValue(stat.ParentPid, out var children))
                {
                    childrenOf[stat.ParentPid] = children = [];
                }

                children.Add(candidate);
            }
        }

        var descendants = new List<int>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out int parent))
        {
            foreach (int child in childrenOf.GetValueOrDefault(parent) ?? [])
            {
                descendants.Add(child);
                pending.Enqueue(child);
            }
        }

        return descendants;
    }

    /// <summary>The process's command line, arguments separated by NULs; empty when it is gone.</summary>
    public static IReadOnlyList<string> CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static ProcStat? Parse(int pid, string text)
    {
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and parentheses, so the
        // fields are counted from the last ')'. After it, field 3 (state) is index 0 and field 22
        // (starttime) is index 19.
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong startTicks))
        {
            return null;
        }

        return new ProcStat(pid, fields[0][0], parent, startTicks);
    }
}
