namespace Plexus.Cli.Node;

/// <summary>
/// <c>node.json</c>: what a running node wrote once it served, for <c>plexus start</c> (waiting for
/// it), <c>plexus stop</c> (is the pid still this node?) and <c>plexus status</c> (where is the head?).
/// </summary>
/// <param name="Pid">The node process.</param>
/// <param name="NodeId">The node's id, hex.</param>
/// <param name="NodeAddress">Where the node's daemon listens for peers, <c>tcp:host:port</c>.</param>
/// <param name="ControlAddress">The head's control address, <c>host:port</c>.</param>
/// <param name="Head">True on the head node.</param>
/// <param name="ProcessStartTicks">The node process's start time from <c>/proc/&lt;pid&gt;/stat</c>: tells it from a later process given the same pid.</param>
internal sealed record NodeRecord(int Pid, string NodeId, string NodeAddress, string ControlAddress, bool Head, ulong ProcessStartTicks);
