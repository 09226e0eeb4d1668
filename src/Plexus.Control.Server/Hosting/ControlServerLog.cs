using Microsoft.Extensions.Logging;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// The control server's log events. At Information only the address it listens on; a rejected
/// token is a Warning. (The service's own events are in Plexus.Control; ids do not overlap.)
/// </summary>
internal static partial class ControlServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Control service listening on {Address}")]
    public static partial void ServerStarted(ILogger logger, Uri address);

    [LoggerMessage(6, LogLevel.Warning, "Rejected {Method} from {Peer}: missing or invalid cluster token")]
    public static partial void TokenRejected(ILogger logger, string method, string peer);

    [LoggerMessage(7, LogLevel.Warning, "Refused {Method} from {Peer}: the read-only token only reads the state API")]
    public static partial void ReadOnlyTokenRefused(ILogger logger, string method, string peer);
}
