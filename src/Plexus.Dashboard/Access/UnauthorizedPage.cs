using System.Net;

namespace Plexus.Dashboard.Access;

/// <summary>What a browser without a session sees: why, and how to get the dashboard's URL.</summary>
internal static class UnauthorizedPage
{
    public const string HowToOpen =
        "Run `plexus status` on a machine of the cluster (or with --address HEAD:PORT --token-file FILE): " +
        "it prints the dashboard's URL with the read-only token. Open that URL once; this browser then keeps a session.";

    public static string Html(string why) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Plexus dashboard: sign-in needed</title>
        <style>body{font:15px/1.5 system-ui,sans-serif;max-width:44em;margin:4em auto;color:#1f2933}code{background:#eef1f4;padding:.1em .3em;border-radius:3px}</style>
        </head><body>
        <h1 id="unauthorized">401: this dashboard needs the cluster's token</h1>
        <p>{{WebUtility.HtmlEncode(why)}}.</p>
        <p>Run <code>plexus status</code> on a machine of the cluster (or with <code>--address HEAD:PORT --token-file FILE</code>):
        it prints the dashboard's URL with the read-only token, <code>http://HOST:PORT/?token=...</code>.
        Open that URL once; this browser then keeps a session.</p>
        </body></html>
        """;
}
