using System.Globalization;

namespace Plexus.ClusterHosting;

/// <summary>One line of <c>/proc/PID/stat</c>: the fields the fixture reads.</summary>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, int SessionId, ulong StartTicks)
{
    public bool IsZombie => State is 'Z' or 'X';
}

/// <summary>Reads processes from <c>/proc</c>, including ones this process did not start.</summary>
internal static class ProcFs
{
    /// <summary>The process's stat, or null when it does not exist (any more).</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // The command name sits in parentheses and may itself hold spaces and ')': the fields
        // that follow start after the last ')'. After it: state ppid pgrp session ... field 22 starttime.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            pid,
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    /// <summary>Every process that exists now (zombies included).</summary>
    public static List<ProcStat> All()
    {
        var all = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                all.Add(stat);
            }
        }

        return all;
    }

    /// <summary>The process's command line (its arguments joined by spaces), or null when it does not exist (any more).</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>True while the process exists and has not exited (a zombie has).</summary>
    public static bool IsRunning(int pid) => Read(pid) is { IsZombie: false };
}
