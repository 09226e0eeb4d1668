namespace Plexus;

/// <summary>
/// Where a running cluster's node listens and the token that admits a process to it, written as
/// <c>unix:@&lt;socket name&gt;#&lt;token&gt;</c>. Whoever holds it can join the cluster.
/// </summary>
public sealed record ClusterAddress(string SocketName, string Token)
{
    private const string Scheme = "unix:@";

    public static ClusterAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var separator = text.IndexOf('#', StringComparison.Ordinal);
        if (!text.StartsWith(Scheme, StringComparison.Ordinal) || separator < 0)
        {
            throw new FormatException($"'{text}' is not a Plexus cluster address (expected {Scheme}<socket name>#<token>).");
        }

        return new ClusterAddress(text[Scheme.Length..separator], text[(separator + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}{SocketName}#{Token}";
}
