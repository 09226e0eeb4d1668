using System.Runtime.InteropServices;

namespace Plexus.Cli.Processes;

/// <summary>Sends signals to other processes (.NET can only SIGKILL one, through <see cref="System.Diagnostics.Process.Kill()"/>).</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    // errno ESRCH: the process is gone, which is what a caller sending a stop signal wants anyway.
    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    /// <exception cref="UnauthorizedAccessException">The process belongs to another user.</exception>
    public static bool Send(int pid, int signal)
    {
        if (kill(pid, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new UnauthorizedAccessException($"Cannot signal process {pid} (errno {errno}): it belongs to another user; run plexus stop as that user.");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
