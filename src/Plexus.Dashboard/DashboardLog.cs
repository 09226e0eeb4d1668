using Microsoft.Extensions.Logging;

namespace Plexus.Dashboard;

/// <summary>The dashboard's log events: its address at Information, a refused visitor at Warning.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(1, LogLevel.Information, "Dashboard listening on {Address}")]
    public static partial void Started(ILogger logger, Uri address);

    [LoggerMessage(2, LogLevel.Warning, "Refused {Path} from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string peer, string reason);
}
