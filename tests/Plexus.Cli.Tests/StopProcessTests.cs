using Plexus.Cli.Node;
using Plexus.Cli.Processes;

namespace Plexus.Cli.Tests;

/// <summary><c>plexus stop</c> against real processes standing for a node: which it signals, and how it ends them.</summary>
[Slow]
public sealed class StopProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RunningNodeIsStoppedWithSigtermAndItsFilesGo()
    {
        using var node = ChildProcess.Shell("exec sleep 600");
        WriteNodeFiles(node.Pid, StartTicks(node.Pid));

        var result = await Stop();

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"Stopped the node (pid {node.Pid})", result.Output, StringComparison.Ordinal);
        await node.Process.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(128 + PosixSignals.SigTerm, node.Process.ExitCode);
        Assert.False(File.Exists(Files.PidPath));
        Assert.False(File.Exists(Files.RecordPath));
    }

    [Fact]
    public async Task APidNowHeldByAnotherProcessIsNotSignalled()
    {
        // The record's start time is not this process's: the node is gone and its pid was reused.
        using var other = ChildProcess.Shell("exec sleep 600");
        WriteNodeFiles(other.Pid, StartTicks(other.Pid) + 1);

        var result = await Stop();

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("No node is running", result.Output, StringComparison.Ordinal);
        Assert.False(other.Process.HasExited, "stop signalled a process that was not the node");
        Assert.False(File.Exists(Files.PidPath));
        Assert.False(File.Exists(Files.RecordPath));
    }

    [Fact]
    public async Task NodeStillStartingIsStoppedByItsPidFile()
    {
        // No node.json yet: the pid file alone names it, and its command line says it is a node.
        // On SIGTERM the shell ends its child too, as a node ends its workers.
        using var node = ChildProcess.Shell("sleep 600 & trap 'kill $!; exit 0' TERM; wait", "plexus", "start", "--head", ForegroundNode.Flag);
        Files.Create();
        await File.WriteAllTextAsync(Files.PidPath, $"{node.Pid}\n");

        var result = await Stop();

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        await node.Process.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);
        Assert.False(File.Exists(Files.PidPath));
    }

    [Fact]
    public async Task NodeThatIgnoresSigtermIsKilledWithTheProcessesItStarted()
    {
        // An ignored signal stays ignored in the children: all three refuse SIGTERM.
        using var node = ChildProcess.Shell("trap '' TERM; sleep 600 & sleep 600 & wait");
        var children = await Eventually.ValueAsync(() => ProcStat.DescendantsOf(node.Pid), found => found.Count == 2);

        var outcome = await new NodeProcessStopper { Grace = TimeSpan.FromMilliseconds(500) }.StopAsync(node.Pid, CancellationToken.None);

        Assert.Equal(new StopOutcome(Killed: true, KilledDescendants: 2), outcome);
        await node.Process.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(128 + PosixSignals.SigKill, node.Process.ExitCode);
        await Eventually.TrueAsync(() => children.All(child => ProcStat.Read(child) is not { IsRunning: true }));
    }

    private NodeStateFiles Files => new(_directory.Path);

    private static ulong StartTicks(int pid) => ProcStat.Read(pid)?.StartTicks ?? throw new InvalidOperationException($"process {pid} is gone");

    private void WriteNodeFiles(int pid, ulong startTicks)
    {
        Files.Create();
        Files.WritePid(pid);
        Files.WriteRecord(new NodeRecord(pid, "0a", "tcp:127.0.0.1:1", "127.0.0.1:1", Head: true, startTicks));
    }

    private Task<CliResult> Stop() => new CliRun(_directory.Path).RunAsync("stop", "--temp-dir", _directory.Path);
}
