using System.Globalization;
using System.Text;
using Plexus.Control;
using Plexus.Protocol.Control;

namespace Plexus.Cli.Logs;

/// <summary>
/// <c>plexus logs --node NODE</c>: a process's log file on a node, read through the head (which
/// asks the node): all of it, its last lines (<c>--tail</c>), then what it adds (<c>--follow</c>,
/// starting over when the file rotates); or the node's log files (<c>--list</c>).
/// </summary>
internal static class NodeLogPrinter
{
    // How much one read asks for: under the service's largest read.
    private const int ChunkBytes = 256 << 10;

    // How often --follow asks for more.
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    public static async Task ListAsync(IControlClient client, string node, CliContext context, CancellationToken cancellationToken)
    {
        foreach (var file in await FilesAsync(client, node, cancellationToken).ConfigureAwait(false))
        {
            var modified = DateTimeOffset.UnixEpoch.AddTicks(file.ModifiedUnixMicros * TimeSpan.TicksPerMicrosecond);
            await context.Output.WriteLineAsync(
                $"{file.Name}\t{file.Size.ToString(CultureInfo.InvariantCulture)}\t{modified.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        }
    }

    /// <exception cref="InvalidOperationException">The node has no such process's file (the message lists those it has), or cannot be read.</exception>
    public static async Task PrintAsync(
        IControlClient client, string node, string process, int? tail, bool follow, CliContext context, CancellationToken cancellationToken)
    {
        var files = await FilesAsync(client, node, cancellationToken).ConfigureAwait(false);
        var file = ProcessLogNames.Resolve(process, files)
            ?? throw new InvalidOperationException(
                $"node {node} has no log file of '{process}'; it has: {(files.Count == 0 ? "none" : string.Join(", ", files.Select(f => f.Name)))}.");
        long offset = 0;
        if (tail is { } lines)
        {
            var end = await ReadAsync(client, node, file, -ChunkBytes, cancellationToken).ConfigureAwait(false);
            await WriteLastLinesAsync(end.Data.ToStringUtf8(), lines, end.Offset == 0, context).ConfigureAwait(false);
            offset = end.Offset + end.Data.Length;
        }
        else
        {
            offset = await CopyToEndAsync(client, node, file, 0, context, cancellationToken).ConfigureAwait(false);
        }

        if (!follow)
        {
            return;
        }

        using var timer = new PeriodicTimer(FollowInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            offset = await CopyToEndAsync(client, node, file, offset, context, cancellationToken).ConfigureAwait(false);
        }
    }

    // From offset to the file's end as it is now; the next offset. A file now shorter than offset was rotated: read from its start.
    private static async Task<long> CopyToEndAsync(IControlClient client, string node, string file, long offset, CliContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            var range = await ReadAsync(client, node, file, offset, cancellationToken).ConfigureAwait(false);
            if (range.Size < offset)
            {
                offset = 0;
                continue;
            }

            if (range.Data.Length > 0)
            {
                await context.Output.WriteAsync(range.Data.ToStringUtf8()).ConfigureAwait(false);
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            offset = range.Offset + range.Data.Length;
            if (offset >= range.Size)
            {
                return offset;
            }
        }
    }

    // The last `count` whole lines of text; its first line is cut (it began before the read) unless the text is the file's start.
    private static async Task WriteLastLinesAsync(string text, int count, bool fromStart, CliContext context)
    {
        var lines = text.Split('\n').ToList();
        if (!fromStart && lines.Count > 0)
        {
            lines.RemoveAt(0);
        }

        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var builder = new StringBuilder();
        foreach (var line in lines.Skip(Math.Max(0, lines.Count - count)))
        {
            builder.Append(line).Append('\n');
        }

        await context.Output.WriteAsync(builder.ToString()).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<LogFileInfo>> FilesAsync(IControlClient client, string node, CancellationToken cancellationToken) =>
        (await client.ReadNodeLogAsync(new ReadNodeLogRequest { NodeId = NodeId(node) }, cancellationToken).ConfigureAwait(false)).Files;

    private static Task<ReadNodeLogReply> ReadAsync(IControlClient client, string node, string file, long offset, CancellationToken cancellationToken) =>
        client.ReadNodeLogAsync(new ReadNodeLogRequest { NodeId = NodeId(node), File = file, Offset = offset, MaxBytes = ChunkBytes }, cancellationToken);

    private static Google.Protobuf.ByteString NodeId(string hex) => Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString(hex));
}
