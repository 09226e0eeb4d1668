using System.Globalization;

namespace Plexus.Protocol.Transport;

/// <summary>The kinds of transport an endpoint can name.</summary>
internal enum TransportKind
{
    /// <summary>A Unix domain socket in the abstract namespace (no file): <c>unix:@name</c>.</summary>
    Unix,

    /// <summary>A TCP socket, IPv4 or IPv6: <c>tcp:host:port</c>, <c>tcp:[::1]:port</c>.</summary>
    Tcp,

    /// <summary>A pair of in-process pipes: <c>mem:name</c>.</summary>
    Memory,
}

/// <summary>
/// Where a transport listens or connects, written as a string: <c>unix:@name</c> (an abstract
/// Unix socket), <c>tcp:host:port</c> (IPv6 hosts in brackets; port 0 asks the system for a free
/// one when listening) or <c>mem:name</c> (in this process only).
/// </summary>
internal sealed record TransportEndpoint
{
    private TransportEndpoint(TransportKind kind, string host, int port)
    {
        Kind = kind;
        Host = host;
        Port = port;
    }

    /// <summary>Which transport serves this endpoint.</summary>
    public TransportKind Kind { get; }

    /// <summary>The socket or pipe name (Unix, memory) or the host name or address (TCP).</summary>
    public string Host { get; }

    /// <summary>The TCP port; 0 for other kinds.</summary>
    public int Port { get; }

    /// <summary>An abstract Unix socket named <paramref name="name"/> (without the leading <c>@</c>).</summary>
    public static TransportEndpoint Unix(string name) => new(TransportKind.Unix, RequireName(name), 0);

    /// <summary>A TCP endpoint. Throws <see cref="ArgumentOutOfRangeException"/> for a port outside 0..65535.</summary>
    public static TransportEndpoint Tcp(string host, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new(TransportKind.Tcp, RequireName(host), port);
    }

    /// <summary>An in-process endpoint named <paramref name="name"/>.</summary>
    public static TransportEndpoint Memory(string name) => new(TransportKind.Memory, RequireName(name), 0);

    /// <summary>
    /// Reads an endpoint written as <see cref="ToString"/> writes it. Throws
    /// <see cref="FormatException"/> naming the accepted forms when <paramref name="text"/> is none of them.
    /// </summary>
    public static TransportEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:@", StringComparison.Ordinal) && text.Length > 6)
        {
            return Unix(text[6..]);
        }

        if (text.StartsWith("mem:", StringComparison.Ordinal) && text.Length > 4)
        {
            return Memory(text[4..]);
        }

        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var colon = text.LastIndexOf(':');
            if (colon > 4 && text[4..colon].Trim('[', ']') is { Length: > 0 } host
                && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return Tcp(host, port);
            }
        }

        throw new FormatException($"'{text}' is not a transport endpoint: expected unix:@<name>, tcp:<host>:<port> (tcp:[<IPv6>]:<port>) or mem:<name>.");
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TransportKind.Unix => $"unix:@{Host}",
        TransportKind.Tcp when Host.Contains(':', StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"tcp:[{Host}]:{Port}"),
        TransportKind.Tcp => string.Create(CultureInfo.InvariantCulture, $"tcp:{Host}:{Port}"),
        _ => $"mem:{Host}",
    };

    private static string RequireName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }
}
