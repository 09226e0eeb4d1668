using System.Diagnostics;

namespace Plexus.Cli.Node;

/// <summary>
/// <c>plexus start</c> without <c>--block</c>: starts this same tool again with <c>--block</c> as a
/// background process in a session of its own (so closing the terminal does not end it), its
/// output in <c>logs/node.log</c>, and waits until it serves or exits.
/// </summary>
internal static class DaemonLauncher
{
    /// <summary>How long a node may take to start serving before the launcher gives up waiting.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    // How often node.json is looked for while the node starts.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<int> LaunchAsync(NodeStartOptions options, IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        if (!options.Head)
        {
            // Checked here too, so a missing token is a usage error on the terminal, not a line in a log.
            ClusterTokens.ReadForJoin(options.TokenFile, context);
        }

        var files = new NodeStateFiles(options.TempDirectory);
        files.Create();
        if (files.FindRunningNode() is { } running)
        {
            await context.Error.WriteLineAsync(ForegroundNode.AlreadyRunning(files, running)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        files.RemoveRecord();
        using var daemon = Process.Start(DaemonStartInfo(files.LogPath, arguments))
            ?? throw new InvalidOperationException("The node process did not start.");
        var exited = daemon.WaitForExitAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (files.ReadRecord() is { } record && record.Pid == daemon.Id)
            {
                await StartSummary.WriteAsync(record, files, context.Output).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (exited.IsCompleted)
            {
                await context.Error.WriteLineAsync(
                    $"plexus start: the node exited (code {daemon.ExitCode}) before it served. The end of {files.LogPath}:").ConfigureAwait(false);
                foreach (var line in LogTail.Read(files.LogPath))
                {
                    await context.Error.WriteLineAsync("  " + line).ConfigureAwait(false);
                }

                return ExitCodes.Failure;
            }

            if (deadline.Elapsed > StartDeadline)
            {
                await context.Error.WriteLineAsync(
                    $"plexus start: the node (pid {daemon.Id}) did not start serving within {StartDeadline.TotalSeconds:0} s. " +
                    $"It may still be starting: see {files.LogPath}, and stop it with plexus stop --temp-dir {files.Directory}.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await Task.WhenAny(exited, Task.Delay(PollInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// <c>sh</c> sends the output to the log (a child's output can only be piped from .NET, and a
    /// pipe would end with this process) and then becomes <c>setsid</c>, which becomes the tool:
    /// each replaces the one before (exec), so the daemon keeps the pid <see cref="Process.Start()"/> returned.
    /// </summary>
    private static ProcessStartInfo DaemonStartInfo(string logPath, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("plexus-node");
        start.ArgumentList.Add(logPath);
        if (FindOnPath("setsid") is { } setsid)
        {
            start.ArgumentList.Add(setsid);
        }

        foreach (var part in ToolCommand.Parts())
        {
            start.ArgumentList.Add(part);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(ForegroundNode.Flag);
        return start;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
