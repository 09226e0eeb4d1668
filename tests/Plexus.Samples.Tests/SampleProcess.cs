using System.Diagnostics;

namespace Plexus.Samples.Tests;

/// <summary>What a finished sample process printed and returned.</summary>
internal sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// Runs a sample as a real process (<c>dotnet Sample.dll args</c>), using the copy of the sample that
/// the project reference puts next to the test assembly. The process and its worker processes are
/// killed if it outlives the deadline or the test fails first.
/// </summary>
internal static class SampleProcess
{
    public static async Task<ProcessOutcome> RunAsync(string sampleAssembly, IEnumerable<string> args, TimeSpan deadline)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, sampleAssembly);
        Assert.True(File.Exists(dll), $"The sample {dll} was not built next to the tests.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{sampleAssembly} did not exit within {deadline}.");
            }

            return new ProcessOutcome(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    // The host running these tests when it is `dotnet`, so the sample runs on the same runtime.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
