using System.Diagnostics;
using Plexus.Cli.Processes;
using Plexus.Control;

namespace Plexus.Cli.Node;

/// <summary>
/// One run of the head's control service (<c>plexus control</c>) as a child of the head: its
/// output appended to <c>logs/control.log</c>, its standard input a pipe only the head holds (so it
/// ends with the head, even one killed by SIGKILL). Disposing it stops it: SIGTERM, then SIGKILL
/// after <see cref="StopGrace"/>.
/// </summary>
internal sealed class ControlServiceProcess : IAsyncDisposable
{
    /// <summary>How long a stopped service may take to exit before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    // How long a service may take to answer its first call; past this it is stuck, not slow.
    private static readonly TimeSpan ServeDeadline = TimeSpan.FromSeconds(60);

    // How long one call to a starting service may take.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    // How often a starting service is asked whether it answers.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly string _logPath;

    // Set once the service has answered: how long it has served since.
    private Stopwatch? _serving;

    private ControlServiceProcess(Process process, string logPath, ulong startTicks)
    {
        _process = process;
        _logPath = logPath;
        Pid = process.Id;
        StartTicks = startTicks;
        Exited = ExitCodeAsync(process);
    }

    public int Pid { get; }

    /// <summary>The process's start time in clock ticks (<see cref="ProcStat"/>).</summary>
    public ulong StartTicks { get; }

    /// <summary>Completes with the exit code when the process has exited.</summary>
    public Task<int> Exited { get; }

    /// <summary>How long the service has answered calls; zero if it never did.</summary>
    public TimeSpan Served => _serving?.Elapsed ?? TimeSpan.Zero;

    /// <summary>Starts <c>plexus control</c> with <paramref name="settings"/>, its output appended to <paramref name="logPath"/>.</summary>
    public static ControlServiceProcess Start(ControlServiceSettings settings, string tokenFile, string logPath)
    {
        // sh appends the output to the log and execs the tool, so the pid is the service's; the
        // pipe on standard input is passed through.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1");
        start.ArgumentList.Add("plexus-control");
        start.ArgumentList.Add(logPath);
        foreach (var part in ToolCommand.Parts().Concat(settings.CommandArguments(tokenFile)))
        {
            start.ArgumentList.Add(part);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The control service process did not start.");
        return new ControlServiceProcess(process, logPath, ProcStat.Read(process.Id)?.StartTicks ?? 0);
    }

    /// <summary>Returns once the service answers at <paramref name="address"/>.</summary>
    /// <exception cref="ControlServiceStartException">It exited first, or did not answer within 60 s; the message has the end of its log.</exception>
    public async Task WaitUntilServingAsync(string address, string token, CancellationToken cancellationToken)
    {
        await using var client = new ControlClient(new Uri($"http://{address}"), token);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Exited.IsCompleted)
            {
                int exitCode = await Exited.ConfigureAwait(false);
                throw new ControlServiceStartException(
                    $"The control service (pid {Pid}) exited with code {exitCode} before it served. The end of {_logPath}:\n  "
                    + string.Join("\n  ", LogTail.Read(_logPath)));
            }

            // One short call at a time, raced against the exit: what holds the port when this
            // service could not bind it may accept connections and never answer.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(AttemptTimeout);
            Task call = client.ListNodesAsync(attempt.Token);
            if (await Task.WhenAny(call, Exited).ConfigureAwait(false) != call)
            {
                await attempt.CancelAsync().ConfigureAwait(false);
                await call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                await call.ConfigureAwait(false);
                _serving = Stopwatch.StartNew();
                return;
            }
            catch (Exception e) when ((e is ControlServiceUnavailableException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or not answering yet: the next round tells, until the deadline.
                if (deadline.Elapsed > ServeDeadline)
                {
                    throw new ControlServiceStartException(
                        $"The control service (pid {Pid}) did not answer within {ServeDeadline.TotalSeconds:0} s ({e.Message}). See {_logPath}.");
                }
            }

            await Task.WhenAny(Exited, Task.Delay(PollInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async Task<int> ExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Stops the service (SIGTERM, then SIGKILL after <see cref="StopGrace"/>) and waits until it has exited.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            PosixSignals.Send(Pid, PosixSignals.SigTerm);
            if (await Task.WhenAny(Exited, Task.Delay(StopGrace)).ConfigureAwait(false) != Exited)
            {
                PosixSignals.Send(Pid, PosixSignals.SigKill);
            }

            await Exited.ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
