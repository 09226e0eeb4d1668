using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/node-logs?node=N</c>: the log files in node <c>N</c>'s log directory (one per worker,
/// the node's and the head's control process), as <c>plexus logs --node N --list</c>;
/// <c>GET /api/node-logs?node=N&amp;file=F&amp;offset=O</c>: up to 256 KiB of file <c>F</c> from byte
/// <c>O</c> (negative: that many bytes before its end; default the last 64 KiB), with the offset to
/// ask from next, which the page polls with to follow the file. The node reads the file when asked
/// (<see cref="IControlClient.ReadNodeLogAsync"/>): a node that is not alive or does not answer is a 400 saying so.
/// </summary>
internal static class NodeLogsEndpoint
{
    private const long DefaultTail = 64 << 10;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/node-logs", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.NodeLogView));

    /// <exception cref="ArgumentException">No node or a malformed one, a malformed file name or offset, or the node could not be read from.</exception>
    private static async Task<NodeLogView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var node = ApiResponses.Query(context, "node") ?? throw new ArgumentException("node is missing: give a node's id (hex, from the overview).");
        var file = ApiResponses.Query(context, "file") ?? "";
        var text = ApiResponses.Query(context, "offset");
        var offset = text is null ? -DefaultTail
            : long.TryParse(text, out var parsed) ? parsed
            : throw new ArgumentException($"offset '{text}' is not a byte offset (negative: from the end).");
        var request = new Proto.ReadNodeLogRequest { NodeId = StateMessages.Id(node, 8, "node"), File = file, Offset = offset };
        Proto.ReadNodeLogReply reply;
        try
        {
            reply = await reader.Control.ReadNodeLogAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The node is gone, did not answer in time, or has no such file: the page shows why, as for a malformed query.
            throw new ArgumentException(e.Message, e);
        }

        return new NodeLogView(
            node,
            [.. reply.Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new LogFileView(f.Name, f.Size, f.ModifiedUnixMicros / 1000))],
            file.Length == 0 ? null : file,
            reply.Offset,
            reply.Offset + reply.Data.Length,
            reply.Size,
            Encoding.UTF8.GetString(reply.Data.Span));
    }
}

/// <summary>
/// A node's log files (when no file was asked for), or bytes <paramref name="Offset"/> to
/// <paramref name="NextOffset"/> of <paramref name="File"/>, whose size was <paramref name="Size"/> when read.
/// </summary>
internal sealed record NodeLogView(string NodeId, IReadOnlyList<LogFileView> Files, string? File, long Offset, long NextOffset, long Size, string Text);

/// <summary>A log file on a node: its name, bytes, and when it was last written (Unix ms).</summary>
internal sealed record LogFileView(string Name, long Size, long ModifiedUnixMs);
