using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Plexus.Control.Service;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Refuses every request that does not carry the cluster token with a gRPC
/// <see cref="StatusCode.Unauthenticated"/> answer (trailers only), before routing and before
/// gRPC reads a byte of the body: what a stranger sends is never decoded, so garbage from
/// one is a warning in the log, not a decoding failure with its stack trace. The read-only token
/// passes for the reads <see cref="ReadOnlyAccess"/> lists only; elsewhere it is refused
/// with <see cref="StatusCode.PermissionDenied"/> and a trailer that names it, which clients turn
/// into <see cref="ReadOnlyTokenRefusedException"/>.
/// </summary>
internal sealed class ClusterTokenMiddleware(RequestDelegate next, ClusterToken token, ReadOnlyAccess readOnly, ILogger<ClusterTokenMiddleware> logger)
{
    private const string Refusal = "missing or invalid cluster token (metadata header 'plexus-token')";

    private const string ReadOnlyRefusal = "the read-only token only reads the state API, nodes and jobs and opens the dashboard: this call needs the cluster token";

    public Task InvokeAsync(HttpContext context)
    {
        string presented = context.Request.Headers[ClusterToken.HeaderName].ToString();
        if (token.Matches(presented) || (readOnly.Matches(presented) && ReadOnlyAccess.Allows(context.Request.Path)))
        {
            return next(context);
        }

        var peer = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (readOnly.Matches(presented))
        {
            ControlServerLog.ReadOnlyTokenRefused(logger, context.Request.Path, peer);
            context.Response.Headers[ReadOnlyTokenRefusedException.RefusalTrailer] = ReadOnlyTokenRefusedException.ReadOnlyToken;
            return Refuse(context.Response, StatusCode.PermissionDenied, ReadOnlyRefusal);
        }

        ControlServerLog.TokenRejected(logger, context.Request.Path, peer);
        return Refuse(context.Response, StatusCode.Unauthenticated, Refusal);
    }

    // A trailers-only gRPC answer: the status travels in the headers.
    private static Task Refuse(HttpResponse response, StatusCode status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }
}
