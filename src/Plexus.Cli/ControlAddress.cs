using System.Globalization;

namespace Plexus.Cli;

/// <summary>
/// A head's control address as people write it: <c>HOST:PORT</c> (also accepted as
/// <c>plexus://HOST:PORT</c>, the form drivers are given), turned into the gRPC address.
/// </summary>
internal static class ControlAddress
{
    private const string Scheme = "plexus://";

    /// <summary>Parses <paramref name="text"/>; on failure returns null and a message saying what was expected.</summary>
    public static Uri? TryParse(string text, out string? error)
    {
        var hostPort = text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? text[Scheme.Length..] : text;
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535
            || !Uri.TryCreate($"http://{hostPort}/", UriKind.Absolute, out var uri))
        {
            error = $"'{text}' is not a control address: expected HOST:PORT, e.g. 10.0.0.5:{Node.ControlServiceSettings.DefaultPort}.";
            return null;
        }

        error = null;
        return uri;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="UsageException"/> naming where it came from.</summary>
    public static Uri Parse(string text, string source) =>
        TryParse(text, out var error) ?? throw new UsageException($"{source}: {error}");
}
