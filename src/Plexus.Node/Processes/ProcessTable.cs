using System.Diagnostics;

namespace Plexus.Node;

/// <summary>
/// The processes of this node by process number: the runtimes that can receive messages (their
/// links), the worker processes started and not yet joined, and the operating-system process of
/// each one that joined. Numbers are handed out here and never reused. Only touched under the
/// node's lock.
/// </summary>
internal sealed class ProcessTable
{
    // Every runtime on the node that can receive messages, by process number.
    private readonly Dictionary<int, IProcessLink> _links = [];
    // Worker processes started and not yet connected, by process number.
    private readonly Dictionary<int, Process> _starting = [];
    // The operating-system process of each connected process this node started (an attached driver has none).
    private readonly Dictionary<int, Process> _joined = [];
    // The drivers connected (embedded or attached), with the pid each gave (this process's for the embedded one).
    private readonly Dictionary<int, int> _drivers = [];
    // The job package each started process loaded, while it lives; absent for the node's own pool.
    private readonly Dictionary<int, string> _packages = [];
    // The number the next process gets; 0 is the embedded driver's.
    private int _nextProcess = 1;

    /// <summary>The link to <paramref name="process"/>, or null if it is not connected (or gone).</summary>
    public IProcessLink? Find(int process) => _links.GetValueOrDefault(process);

    public bool IsConnected(int process) => _links.ContainsKey(process);

    /// <summary>The process numbers of every connected runtime.</summary>
    public IReadOnlyCollection<int> Connected => _links.Keys;

    public IReadOnlyCollection<IProcessLink> Links => _links.Values;

    /// <summary>
    /// How a process's address on any node becomes a link (the node's router); set once when the
    /// node is built. Without it only process numbers resolve.
    /// </summary>
    public Func<ProcessAddress, IMessageLink?>? Route { get; set; }

    /// <summary>An outbox that resolves process numbers through this table, and addresses through <see cref="Route"/>.</summary>
    public Outbox NewOutbox() => new(Find, Route);

    public int NextProcessNumber() => _nextProcess++;

    /// <summary>Connects a driver, a runtime that needs no invitation: the embedded one, or one that attached with the cluster token.</summary>
    public void ConnectDriver(IProcessLink link, int pid)
    {
        _links[link.Process] = link;
        _drivers[link.Process] = pid;
    }

    /// <summary>Whether <paramref name="process"/> is a connected driver, and its pid if so.</summary>
    public bool IsDriver(int process, out int pid) => _drivers.TryGetValue(process, out pid);

    public void AddStarting(int process, Process os, string? package = null)
    {
        _starting[process] = os;
        if (package is not null)
        {
            _packages[process] = package;
        }
    }

    /// <summary>The job package process <paramref name="process"/> loaded; null for the node's own pool (or a process gone).</summary>
    public string? PackageOf(int process) => _packages.GetValueOrDefault(process);

    /// <summary>Forgets a process that exited before joining; false if it had joined (or was never started).</summary>
    public bool RemoveStarting(int process)
    {
        if (!_starting.Remove(process))
        {
            return false;
        }

        _packages.Remove(process);
        return true;
    }

    /// <summary>
    /// Connects a process this node started; null (and nothing changes) if no process of that
    /// number is waiting to join: it was not started here, or it joined already.
    /// </summary>
    public Process? Join(IProcessLink link)
    {
        if (_links.ContainsKey(link.Process) || !_starting.Remove(link.Process, out var os))
        {
            return null;
        }

        _links[link.Process] = link;
        _joined[link.Process] = os;
        return os;
    }

    /// <summary>The operating-system process of a connected process this node started; null for a driver or a process gone.</summary>
    public Process? OsProcessOf(int process) => _joined.GetValueOrDefault(process);

    /// <summary>Every operating-system process the node started and has not seen exit: those to stop when it stops.</summary>
    public IEnumerable<Process> OsProcesses => _starting.Values.Concat(_joined.Values);

    /// <summary>A process exited (its connection closed): nothing is sent to it any more.</summary>
    public void OnProcessExited(int process)
    {
        _links.Remove(process);
        _drivers.Remove(process);
        _joined.Remove(process);
        _packages.Remove(process);
    }
}
