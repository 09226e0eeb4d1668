using System.Globalization;

namespace Plexus.Node;

/// <summary>
/// A process told apart from every other process that ever ran on this machine: the host, the
/// kernel's boot id, the pid, and the process's start time in clock ticks since boot. A pid alone
/// is reused once its process is gone; the start time of the new holder differs, and after a
/// reboot the boot id does. Linux only (it reads <c>/proc</c>).
/// </summary>
internal sealed record ProcessIdentity(string Host, string Boot, int Pid, long StartTicks)
{
    /// <summary>This process.</summary>
    public static ProcessIdentity Current() =>
        new(Environment.MachineName, BootId(), Environment.ProcessId, StartTicksOf(Environment.ProcessId) ?? 0);

    /// <summary>
    /// Whether the process is known to be gone: same host, and another boot, or no such pid, or a
    /// pid now held by a process started at another time, or a zombie (exited, not yet reaped).
    /// A process on another host (a directory shared over the network) is never called gone.
    /// </summary>
    public bool IsGone()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.Equals(Boot, BootId(), StringComparison.Ordinal))
        {
            return true;
        }

        return ReadStat(Pid) is not { } stat || stat.State is 'Z' or 'X' || stat.StartTicks != StartTicks;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host} {Boot} {Pid} {StartTicks}");

    public static ProcessIdentity? Parse(string text)
    {
        var parts = text.Trim().Split(' ');
        return parts.Length == 4
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(parts[0], parts[1], pid, start)
            : null;
    }

    private static string BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static long? StartTicksOf(int pid) => ReadStat(pid)?.StartTicks;

    // /proc/<pid>/stat is "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the
    // fields are counted from the last ')'. After it, the state is the first field and the start
    // time (field 22 of the whole line) the twentieth.
    private static (char State, long StartTicks)? ReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? (fields[0][0], start)
            : null;
    }
}
