namespace Plexus.Cli.Node;

/// <summary>
/// The head's control service process did not come to serve: it exited first (the message holds
/// the end of its log, e.g. the port in use or the storage unreachable), or it did not answer in
/// time. Fix what the log says, or choose another <c>--port</c> or <c>--storage</c>, and start the head again.
/// </summary>
internal sealed class ControlServiceStartException(string message) : Exception(message);
