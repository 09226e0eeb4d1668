using System.Diagnostics;

namespace Plexus.ClusterHosting;

/// <summary>
/// A long-running process of a test cluster (a node, or a stand-in for one) started on its
/// <see cref="NodeHost"/>, with standard output and error going to a log file. It can be killed
/// as a machine failure would kill it, with every process it started, and disposing it always
/// does so and reaps them: nothing outlives the test, also when the test fails.
/// </summary>
internal sealed class ClusterProcess : IAsyncDisposable
{
    // The shell redirects both streams to the log and execs the command in its place, so the log
    // is written by the process itself (nothing to pump, nothing lost if the test host dies) and
    // the pid is the command's. "$0" is the log file, "$@" the command.
    private const string RedirectToLog = "exec \"$@\" >\"$0\" 2>&1";

    private readonly Process _process;

    // The started process as distinct from a later one given its pid.
    private readonly ProcessIdentity _identity;

    private ClusterProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        _identity = ProcessIdentity.OfChild(process.Id);
        LogPath = logPath;
    }

    /// <summary>What the test calls it ("head", "node 2"), for messages.</summary>
    public string Name { get; }

    public int Pid => _identity.Pid;

    /// <summary>The file that gets the process's standard output and error.</summary>
    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="command"/> on <paramref name="host"/>; its output goes to <paramref name="logPath"/>.</summary>
    public static ClusterProcess Start(string name, NodeHost host, CommandLine command, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var logged = host.Wrap(command).RunBy("sh", "-c", RedirectToLog, logPath);
        var process = SessionLaunch.Start(logged, environment, captureOutput: false);
        process.StandardInput.Close();
        return new ClusterProcess(name, process, logPath);
    }

    /// <summary>What the process printed so far (it may still be writing).</summary>
    public string ReadLog()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>The process's exit code once it has exited (128 + the signal when a signal ended it).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// SIGKILLs the process and every process it started (a node's workers), as a machine failure
    /// would, and returns once all of them are reaped. Killing one that exited already kills
    /// whatever it left behind.
    /// </summary>
    public Task KillAsync() => HostCommand.KillAsync(_process, _identity);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public override string ToString() => $"{Name} (pid {Pid})";
}
