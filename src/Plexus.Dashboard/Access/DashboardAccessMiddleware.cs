using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace Plexus.Dashboard.Access;

/// <summary>
/// Lets a request through with the session cookie or a token in the <c>plexus-token</c> header
/// (for scripts). A request with <c>?token=</c> that is valid gets the session cookie (HttpOnly,
/// SameSite=Strict) and is redirected to its URL without the token, so the token leaves the
/// address bar and the history; any other request is answered 401 with a page saying how to get
/// the dashboard's URL.
/// </summary>
internal sealed class DashboardAccessMiddleware(RequestDelegate next, DashboardAccess access, ILogger<DashboardAccessMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Query.TryGetValue(DashboardAccess.TokenParameter, out var token))
        {
            return access.IsToken(token.ToString()) ? StartSession(context) : Refuse(context, "the token in the URL is not this cluster's");
        }

        if (access.IsSession(request.Cookies[DashboardAccess.CookieName]) || access.IsToken(request.Headers[Control.Service.ClusterToken.HeaderName].ToString()))
        {
            return next(context);
        }

        return Refuse(context, "no session: open the dashboard's URL with its token once");
    }

    private Task StartSession(HttpContext context)
    {
        context.Response.Cookies.Append(DashboardAccess.CookieName, access.SessionValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        var query = QueryString.Create(context.Request.Query
            .Where(p => p.Key != DashboardAccess.TokenParameter)
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v))));
        context.Response.Redirect(UriHelper.BuildRelative(context.Request.PathBase, context.Request.Path, query));
        return Task.CompletedTask;
    }

    private Task Refuse(HttpContext context, string why)
    {
        DashboardLog.Refused(logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", why);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync($"401: {why}. {UnauthorizedPage.HowToOpen}\n");
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(UnauthorizedPage.Html(why));
    }
}
