using System.Runtime.InteropServices;

namespace Plexus.Cluster.Submissions;

/// <summary>
/// Signals a process group: a submitted driver runs in a session of its own (started through
/// <c>setsid</c>, so its group id is its pid), and stopping it signals every process it started
/// that did not leave the group. .NET can only SIGKILL one process, or its tree.
/// </summary>
internal static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to the group <paramref name="groupId"/>; false when the group is gone (or not ours to signal).</summary>
    public static bool Signal(int groupId, int signal) => kill(-groupId, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
