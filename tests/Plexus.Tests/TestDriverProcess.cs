using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Plexus.Tests;

/// <summary>
/// Plexus.TestDriver run as its own process, for tests that signal or kill a driver. On dispose
/// the driver and every worker it reported are killed, whatever state the test left them in.
/// </summary>
internal sealed partial class TestDriverProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;

    private TestDriverProcess(Process process, IReadOnlyList<int> workers)
    {
        Process = process;
        Workers = workers;
    }

    public Process Process { get; }

    /// <summary>The worker process ids the driver printed on its READY line.</summary>
    public IReadOnlyList<int> Workers { get; }

    /// <summary>Starts the driver with standard input and output redirected (stderr is left to the test log).</summary>
    public static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Plexus.TestDriver.dll");
        // `env --default-signal` undoes an ignored SIGINT inherited from a non-interactive shell,
        // so the driver gets the dispositions a program started from a terminal gets.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Starts a driver mode that prints "READY &lt;worker pids&gt;" and returns once it has.</summary>
    public static async Task<TestDriverProcess> StartUntilReadyAsync(params string[] args)
    {
        var process = Start(args);
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(ready is not null && ready.StartsWith("READY", StringComparison.Ordinal), $"the driver printed '{ready}' instead of READY");
            var workers = ready.Split(' ').Skip(1).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(workers);
            return new TestDriverProcess(process, workers);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Signal(int signal) => Send(Process.Id, signal);

    /// <summary>Waits for the driver to exit and returns its exit code (128 + the signal when a signal ended it).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the driver (pid {Process.Id}) did not exit within {deadline}");
        }

        return Process.ExitCode;
    }

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        foreach (var worker in Workers.Where(IsAlive))
        {
            // A worker outlived its driver (the failure a test reports): do not leave it running.
            _ = kill(worker, SigKill);
        }

        Process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
