using System.Security.Cryptography;
using System.Text;

namespace Plexus.Control.Service;

/// <summary>The cluster's shared secret and the metadata header that carries it on every call.</summary>
internal sealed class ClusterToken
{
    /// <summary>The gRPC metadata key (lower case, as HTTP/2 requires).</summary>
    public const string HeaderName = "plexus-token";

    private readonly byte[] _expected;

    public ClusterToken(string token) => _expected = Encoding.UTF8.GetBytes(token);

    /// <summary>Compares in constant time, so response timing does not leak the token's prefix.</summary>
    public bool Matches(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected);
    }
}
