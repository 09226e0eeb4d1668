using System.Diagnostics;

namespace Plexus.ClusterHosting;

/// <summary>
/// Runs a command to its end and captures what it prints. A command still running at the deadline
/// is killed with everything it started, and a <see cref="TimeoutException"/> carries its output.
/// </summary>
internal static class HostCommand
{
    public static async Task<CommandOutcome> RunAsync(
        CommandLine command, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        using var process = SessionLaunch.Start(command, environment, captureOutput: true);
        var identity = ProcessIdentity.OfChild(process.Id);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process, identity);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"`{command}` did not finish within {timeout.TotalSeconds:0.#} s and was killed with every process it started. " +
                $"What it printed:\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }

        return new CommandOutcome(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Kills a process this fixture started with its whole tree, and reaps them all.</summary>
    public static async Task KillAsync(Process process, ProcessIdentity identity)
    {
        var killed = ProcessTree.Kill(identity);
        await process.WaitForExitAsync(CancellationToken.None);
        // The root is reaped by .NET's Process (above); the rest are orphans adopted by this process.
        await Eventually.TrueAsync(() => ProcessTree.Reap(killed.Where(pid => pid != process.Id)), "every killed descendant is reaped");
    }
}
