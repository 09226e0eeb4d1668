using System.Diagnostics;

namespace Plexus.Cli.Tests;

/// <summary>
/// Runs the tool as its own process (<c>dotnet Plexus.Cli.dll</c>), for what cannot run inside the
/// test process: starting a node in the background, which starts the tool again.
/// </summary>
internal static class CliProcess
{
    // A start waits up to 60 s for its node; past this the run is stuck, not slow.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Runs the tool with <c>PLEXUS_TOKEN</c> and <c>PLEXUS_ADDRESS</c> unset, and returns what it printed.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Plexus.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("PLEXUS_TOKEN");
        start.Environment.Remove("PLEXUS_ADDRESS");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"plexus {string.Join(' ', args)} did not exit within {Deadline}.");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }
}
