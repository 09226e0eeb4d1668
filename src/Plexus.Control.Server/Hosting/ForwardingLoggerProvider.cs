using Microsoft.Extensions.Logging;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Hands the web host's loggers to the logger factory the service was given, so that the host's
/// own filters (its framework categories at Warning) apply before the program's. The factory is
/// the program's: it is not disposed here.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
