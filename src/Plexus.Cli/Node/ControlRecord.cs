namespace Plexus.Cli.Node;

/// <summary>
/// <c>control.json</c>: the head's control service process now serving, written by the head each
/// time it (re)starts the service, so tools and tests can tell one service process from the next.
/// </summary>
/// <param name="Pid">The service process.</param>
/// <param name="ProcessStartTicks">Its start time from <c>/proc/&lt;pid&gt;/stat</c>: tells it from a later process given the same pid.</param>
/// <param name="Port">The port it serves on.</param>
internal sealed record ControlRecord(int Pid, ulong ProcessStartTicks, int Port);
