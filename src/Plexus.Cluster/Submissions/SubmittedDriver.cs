using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Control.Submissions;
using Plexus.Hosting.Packages;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Cluster.Submissions;

/// <summary>
/// One submitted driver on this node: its package staged (as for job workers), its command started
/// in the package's folder, in a session of its own, with the cluster's address and token and its
/// submission id in its environment; its output logged and sent; its exit reported.
/// </summary>
internal sealed class SubmittedDriver(
    Proto.DriverAssignment assignment, DriverHostContext host, IControlClient control, PackageCache packages, ILogger logger)
{
    /// <summary>How long a stopped driver has between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    // The driver's process once started; null before (and when it could not start).
    private Process? _process;

    // 1 once a stop was asked: a driver not started yet is then not started at all.
    private int _stopping;

    // Why the node ended the driver itself (it stops), said in the exit report; null otherwise.
    private volatile string? _stopReason;

    public string SubmissionId => assignment.SubmissionId;

    /// <summary>Runs the driver to its end and reports how it ended. Never throws but for <paramref name="cancellationToken"/> (the node stops).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string folder;
        try
        {
            folder = await packages.EnsureAsync(assignment.PackageId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ReportAsync(new Proto.ReportJobExitRequest { Message = $"The job's package {assignment.PackageId} could not be fetched to node {host.NodeHex}: {e.Message}" }, cancellationToken).ConfigureAwait(false);
            return;
        }

        DriverOutputLog log;
        Process? started;
        try
        {
            log = new DriverOutputLog(Path.Combine(host.LogDirectory, SubmissionId + ".log"));
            started = Start(folder, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            await ReportAsync(new Proto.ReportJobExitRequest { Message = $"The driver could not be started on node {host.NodeHex}: {e.Message}" }, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var logged = log;
        using var process = started;
        if (process is null)
        {
            await ReportAsync(new Proto.ReportJobExitRequest { Message = "Stopped before it started." }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var sender = new JobOutputSender(log, (offset, data, token) => control.AppendJobOutputAsync(SubmissionId, host.NodeId, offset, data, token));

        logger.LogInformation("Submitted job {Submission} started: pid {Pid}, log {Log}", SubmissionId, process.Id, log.Path);
        var sending = sender.RunAsync(reason => logger.LogWarning("The output of submitted job {Submission} is no longer taken: {Reason}", SubmissionId, reason), cancellationToken);
        await Task.WhenAll(Pump(process.StandardOutput, log), Pump(process.StandardError, log), process.WaitForExitAsync(cancellationToken)).ConfigureAwait(false);
        log.Complete();
        bool sent = await sending.ConfigureAwait(false);
        logger.LogInformation("Submitted job {Submission} exited with code {ExitCode}", SubmissionId, process.ExitCode);
        if (sent)
        {
            await ReportAsync(new Proto.ReportJobExitRequest { HasExitCode = true, ExitCode = process.ExitCode, Message = _stopReason ?? "" }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the driver: SIGTERM to its process group, SIGKILL after <see cref="StopGrace"/> if it is
    /// still there. <paramref name="reason"/>, when the node ends it on its own, is reported with its exit.
    /// </summary>
    public void Stop(string? reason = null)
    {
        _stopReason ??= reason;
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _process) is not { } process)
        {
            return;
        }

        logger.LogInformation("Stopping submitted job {Submission}: SIGTERM to process group {Pid}", SubmissionId, process.Id);
        ProcessGroup.Signal(process.Id, ProcessGroup.SigTerm);
        _ = KillAfterGraceAsync(process);
    }

    private async Task KillAfterGraceAsync(Process process)
    {
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Submitted job {Submission} did not end within {Grace}: SIGKILL to its process group", SubmissionId, StopGrace);
            ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
        }
        catch (InvalidOperationException)
        {
            // Disposed: it was waited for already.
        }
    }

    // Null when a stop came first. A start that throws disposes the log, which the caller has not taken yet.
    private Process? Start(string folder, DriverOutputLog log)
    {
        // setsid: a session and process group of its own, so a stop reaches what the driver started
        // too; the node's own signals (a Ctrl+C in its terminal) do not.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in assignment.Argv)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in assignment.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment[PlexusRuntime.AddressVariable] = host.ControlAddress;
        start.Environment[DriverHostContext.TokenVariable] = host.Token;
        start.Environment[SubmissionIds.Variable] = SubmissionId;
        if (Volatile.Read(ref _stopping) != 0)
        {
            return null;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("setsid did not start.");
        }
        catch
        {
            log.Dispose();
            throw;
        }

        // Nothing is typed to a submitted driver: one that reads its input sees it end.
        process.StandardInput.Close();
        Volatile.Write(ref _process, process);
        if (Volatile.Read(ref _stopping) != 0)
        {
            // The stop came while it started: Stop saw no process, so it is sent here.
            Interlocked.Exchange(ref _stopping, 0);
            Stop();
        }

        return process;
    }

    private static async Task Pump(StreamReader stream, DriverOutputLog log)
    {
        while (await stream.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log.WriteLine(line);
        }
    }

    // Made again while the service is unreachable; given up when it refuses (the node was declared dead, or the submission forgotten).
    private async Task ReportAsync(Proto.ReportJobExitRequest report, CancellationToken cancellationToken)
    {
        report.SubmissionId = SubmissionId;
        report.NodeId = Google.Protobuf.ByteString.CopyFrom(host.NodeId);
        while (true)
        {
            try
            {
                await control.ReportJobExitAsync(report, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ControlServiceUnavailableException)
            {
                await Task.Delay(JobOutputSender.DefaultRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                logger.LogWarning("The control service did not take the end of submitted job {Submission}: {Reason}", SubmissionId, e.Message);
                return;
            }
        }
    }
}
