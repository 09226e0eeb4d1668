using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Refuses every request that does not carry the cluster token with a gRPC
/// <see cref="StatusCode.Unauthenticated"/> answer (trailers only), before routing and before
/// gRPC reads a byte of the body: what a stranger sends is never decoded, so garbage from
/// one is a warning in the log, not a decoding failure with its stack trace.
/// </summary>
internal sealed class ClusterTokenMiddleware(RequestDelegate next, ClusterToken token, ILogger<ClusterTokenMiddleware> logger)
{
    private const string Refusal = "missing or invalid cluster token (metadata header 'plexus-token')";

    public Task InvokeAsync(HttpContext context)
    {
        if (token.Matches(context.Request.Headers[ClusterToken.HeaderName].ToString()))
        {
            return next(context);
        }

        ControlServerLog.TokenRejected(logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Refusal;
        return Task.CompletedTask;
    }
}
