using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Adds the control service's endpoint to Kestrel: HTTP/2 cleartext (gRPC without TLS needs
/// prior knowledge of HTTP/2) on <see cref="ControlServerOptions.ListenAddress"/> and
/// <see cref="ControlServerOptions.Port"/>.
/// </summary>
internal sealed class ControlEndpointSetup(IOptions<ControlServerOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var control = options.Value;
        kestrel.Listen(control.ListenAddress, control.Port, listen => listen.Protocols = HttpProtocols.Http2);
    }
}
