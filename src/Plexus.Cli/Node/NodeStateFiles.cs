using System.Globalization;
using System.Text.Json;
using Plexus.Cli.Processes;

namespace Plexus.Cli.Node;

/// <summary>
/// The files a node keeps in its directory (<c>--temp-dir</c>): <c>node.pid</c> while it runs,
/// <c>node.json</c> once it serves, <c>token</c> on a head, and <c>logs/node.log</c> for a
/// node started in the background; on a head also <c>control.json</c> and <c>logs/control.log</c>
/// for its control service process.
/// </summary>
internal sealed class NodeStateFiles
{
    public NodeStateFiles(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The node's directory, absolute.</summary>
    public string Directory { get; }

    public string PidPath => Path.Combine(Directory, "node.pid");

    public string RecordPath => Path.Combine(Directory, "node.json");

    public string TokenPath => Path.Combine(Directory, "token");

    /// <summary>The head's read-only token, beside <see cref="TokenPath"/> and as private: it opens the dashboard and reads the state API, nodes and jobs, nothing else.</summary>
    public string ReadOnlyTokenPath => Path.Combine(Directory, "readonly-token");

    public string LogPath => Path.Combine(Directory, "logs", "node.log");

    /// <summary>The head's control service process now serving (<see cref="ControlRecord"/>).</summary>
    public string ControlRecordPath => Path.Combine(Directory, "control.json");

    /// <summary>What the head's control service processes print, one after another.</summary>
    public string ControlLogPath => Path.Combine(Directory, "logs", "control.log");

    /// <summary>Creates the directory and its <c>logs</c> folder.</summary>
    public void Create() => System.IO.Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);

    public void WritePid(int pid) =>
        AtomicFile.Write(PidPath, pid.ToString(CultureInfo.InvariantCulture) + "\n", AtomicFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    public void WriteRecord(NodeRecord record) =>
        AtomicFile.Write(RecordPath, JsonSerializer.Serialize(record, CliJsonContext.Default.NodeRecord), AtomicFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    public void WriteControlRecord(ControlRecord record) =>
        AtomicFile.Write(ControlRecordPath, JsonSerializer.Serialize(record, CliJsonContext.Default.ControlRecord), AtomicFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>Removes <c>control.json</c> once the head has stopped its control service.</summary>
    public void RemoveControlRecord() => File.Delete(ControlRecordPath);

    /// <summary>The node's record; null when there is none or it cannot be read (a record is only ever replaced whole).</summary>
    public NodeRecord? ReadRecord()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(RecordPath), CliJsonContext.Default.NodeRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes <c>node.pid</c> and <c>node.json</c> (the token and logs stay).</summary>
    public void RemoveNodeFiles()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        File.Delete(PidPath);
        File.Delete(RecordPath);
    }

    /// <summary>Removes a <c>node.json</c> left by an earlier node, so a new one is not taken for it.</summary>
    public void RemoveRecord() => File.Delete(RecordPath);

    /// <summary>
    /// The node running from this directory, or null when none is: no pid file, or its process has
    /// exited, or the pid now belongs to another process.
    /// </summary>
    public RunningNode? FindRunningNode()
    {
        if (ReadPid() is not int pid || ProcStat.Read(pid) is not { IsRunning: true } process)
        {
            return null;
        }

        if (ReadRecord() is { } record && record.Pid == pid)
        {
            // Pids are reused: the process must be the very one that wrote the record.
            return record.ProcessStartTicks == process.StartTicks ? new RunningNode(pid, record) : null;
        }

        // No record yet: the node is still starting (it writes node.json once it serves). Its
        // command line then still says it is a foreground node.
        return ProcStat.CommandLine(pid).Contains(ForegroundNode.Flag, StringComparer.Ordinal) ? new RunningNode(pid, null) : null;
    }

    private int? ReadPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
