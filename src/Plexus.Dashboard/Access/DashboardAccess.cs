using System.Security.Cryptography;
using System.Text;
using Plexus.Control.Service;

namespace Plexus.Dashboard.Access;

/// <summary>
/// Who may see the dashboard: whoever presents the cluster token or the read-only token once (in
/// the URL, as Jupyter does), and from then on the browser holding the session cookie that visit
/// set. The cookie holds a value derived from the cluster token, never a token itself: a leaked
/// cookie opens the dashboard (which only reads) but joins no node and submits no job. It is the
/// same across restarts of the service, so an open tab keeps working while the head restarts it.
/// </summary>
internal sealed class DashboardAccess
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "plexus-dashboard";

    /// <summary>The query parameter that carries a token on the first visit.</summary>
    public const string TokenParameter = "token";

    private readonly ClusterToken _cluster;

    // Null when the head made no read-only token.
    private readonly ClusterToken? _readOnly;

    // The session cookie's value: HMAC-SHA256 of a fixed label keyed by the cluster token, in hex.
    private readonly byte[] _session;

    public DashboardAccess(string clusterToken, string? readOnlyToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterToken);
        _cluster = new ClusterToken(clusterToken);
        _readOnly = string.IsNullOrEmpty(readOnlyToken) ? null : new ClusterToken(readOnlyToken);
        _session = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(clusterToken), "plexus-dashboard-session"u8)));
    }

    /// <summary>The session cookie's value for a browser that presented a valid token.</summary>
    public string SessionValue => Encoding.ASCII.GetString(_session);

    /// <summary>Whether <paramref name="presented"/> is the cluster token or the read-only token (constant time).</summary>
    public bool IsToken(string? presented) => _cluster.Matches(presented) | (_readOnly?.Matches(presented) == true);

    /// <summary>Whether <paramref name="cookie"/> is this cluster's session value (constant time).</summary>
    public bool IsSession(string? cookie) =>
        !string.IsNullOrEmpty(cookie) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), _session);
}
