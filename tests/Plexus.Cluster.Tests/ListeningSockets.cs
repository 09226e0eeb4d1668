using System.Globalization;
using System.Net;

namespace Plexus.Cluster.Tests;

/// <summary>
/// The TCP ports a process listens on, read from <c>/proc</c>: the listening sockets of the
/// process's network namespace (<c>/proc/PID/net/tcp</c>, <c>tcp6</c>) that are among its open
/// file descriptors. Whatever a node opens, a test finds it this way, not only the ports it announces.
/// </summary>
internal static class ListeningSockets
{
    // The state column of a listening socket in /proc/net/tcp.
    private const string ListenState = "0A";

    /// <summary>The addresses process <paramref name="pid"/> listens on (an unspecified address: every address of its host).</summary>
    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = SocketInodes(pid);
        return new[] { "tcp", "tcp6" }
            .SelectMany(table => ReadTable($"/proc/{pid}/net/{table}"))
            .Where(socket => inodes.Contains(socket.Inode))
            .Select(socket => socket.Local)
            .Distinct()
            .ToList();
    }

    // "socket:[INODE]" links in /proc/PID/fd.
    private static HashSet<ulong> SocketInodes(int pid)
    {
        var inodes = new HashSet<ulong>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                inodes.Add(inode);
            }
        }

        return inodes;
    }

    // Columns: sl local_address rem_address st ... inode (the tenth); addresses as hex IP:port.
    private static IEnumerable<(IPEndPoint Local, ulong Inode)> ReadTable(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[3] == ListenState)
            {
                yield return (ParseEndpoint(fields[1]), ulong.Parse(fields[9], CultureInfo.InvariantCulture));
            }
        }
    }

    // The kernel prints each 32-bit word of the address in host (little-endian) order.
    private static IPEndPoint ParseEndpoint(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var hex = Convert.FromHexString(text.AsSpan(0, colon));
        for (var word = 0; word < hex.Length; word += 4)
        {
            Array.Reverse(hex, word, 4);
        }

        var port = int.Parse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new IPEndPoint(new IPAddress(hex), port);
    }
}
