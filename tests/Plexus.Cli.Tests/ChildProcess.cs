using System.Diagnostics;

namespace Plexus.Cli.Tests;

/// <summary>A process a test starts to stand for a node; killed with everything it started on dispose, whatever the test did.</summary>
internal sealed class ChildProcess : IDisposable
{
    private ChildProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public int Pid => Process.Id;

    /// <summary>Runs <paramref name="script"/> with <c>sh -c</c>; <paramref name="args"/> follow as $0, $1...</summary>
    public static ChildProcess Shell(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ChildProcess(Process.Start(start)!);
    }

    public void Dispose()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        Process.Dispose();
    }
}
