using System.Diagnostics;
using System.Globalization;

namespace Plexus.Node;

/// <summary>How a worker process ended, in words for the errors of the tasks it took down.</summary>
internal static class WorkerExit
{
    // Linux signal numbers 1..15; .NET reports a process ended by signal n as exit code 128 + n.
    private static readonly string[] Signals =
        ["SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"];

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) for a worker whose connection closed to exit, so
    /// that its exit code is known. The kernel closes the socket as the process dies, so this is
    /// normally only the time the runtime takes to reap it. The timeout runs on <paramref name="time"/>.
    /// </summary>
    public static async Task WaitAsync(Process process, TimeSpan timeout, TimeProvider time)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Still running after its connection closed, or not ours to wait for: described as such.
        }
    }

    /// <summary>"worker process 3 (pid 42) was killed by SIGKILL (exit code 137)", or "... exited with code 1".</summary>
    public static string Describe(int process, Process? os)
    {
        if (os is null)
        {
            return $"worker process {process} died";
        }

        string pid;
        int code;
        try
        {
            pid = os.Id.ToString(CultureInfo.InvariantCulture);
            if (!os.HasExited)
            {
                return $"worker process {process} (pid {pid}) lost its connection to the node (the process had not exited)";
            }

            code = os.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return $"worker process {process} died";
        }

        var signal = code - 128;
        return signal >= 1 && signal <= Signals.Length
            ? $"worker process {process} (pid {pid}) was killed by {Signals[signal - 1]} (exit code {code})"
            : $"worker process {process} (pid {pid}) exited with code {code}";
    }
}
