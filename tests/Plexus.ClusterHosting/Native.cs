using System.Runtime.InteropServices;

namespace Plexus.ClusterHosting;

/// <summary>The few libc calls the fixture needs that .NET does not offer for processes it did not start.</summary>
internal static partial class Native
{
    public const int SigKill = 9;
    public const int SigStop = 19;

    private const int PrSetChildSubreaper = 36;
    private const int WaitNoHang = 1;

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>
    /// Makes this process the one that adopts the orphans of its descendants. A node killed before
    /// its workers leaves them orphaned, and the init of a container or VM (here, Firecracker's)
    /// does not always reap: without this, every killed worker would stay a zombie in /proc.
    /// </summary>
    public static bool BecomeChildSubreaper() => prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>True when this process runs as root (effective user id 0).</summary>
    public static bool IsRoot => geteuid() == 0;

    /// <summary>Reaps <paramref name="pid"/> if it is a child of this process that has exited; true when it did.</summary>
    public static bool TryReap(int pid) => waitpid(pid, out _, WaitNoHang) == pid;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);
}
