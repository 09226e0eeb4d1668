using Proto = Plexus.Protocol.Control;

namespace Plexus.Control;

/// <summary>
/// The dashboard's URL as <c>plexus status</c> prints it, <c>http://HOST:PORT/?token=READ_ONLY_TOKEN</c>:
/// the host the tool reached the control service at (the head's address), the port the head serves
/// its dashboard on, and the read-only token, which opens the dashboard once and then the session
/// cookie does. Null when the head serves no dashboard.
/// </summary>
internal static class DashboardUrl
{
    /// <summary>Asks the head where its dashboard is.</summary>
    /// <exception cref="ControlServiceUnavailableException">The service did not answer.</exception>
    public static async Task<string?> ReadAsync(ControlClient client, CancellationToken cancellationToken) =>
        From(client.Address, await client.GetDashboardAccessAsync(cancellationToken).ConfigureAwait(false));

    public static string? From(Uri controlAddress, Proto.GetDashboardAccessReply access)
    {
        if (access.Port == 0)
        {
            return null;
        }

        var url = new UriBuilder(Uri.UriSchemeHttp, controlAddress.Host, access.Port, "/");
        if (access.ReadOnlyToken.Length > 0)
        {
            url.Query = "token=" + Uri.EscapeDataString(access.ReadOnlyToken);
        }

        return url.Uri.AbsoluteUri;
    }
}
