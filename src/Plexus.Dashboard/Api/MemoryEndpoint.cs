using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/memory?groupBy=G</c>: the memory report, as <c>plexus memory</c> gives it: the
/// stores' objects grouped by <c>Node</c> (the default), <c>Job</c> or <c>CallSite</c>, largest
/// first, and each node's store capacity, use and spilled bytes. With <c>held=true</c> the groups also
/// count the small values processes hold (<c>plexus memory --all</c>).
/// </summary>
internal static class MemoryEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/memory", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.ClusterMemoryReport));

    /// <exception cref="ArgumentException"><c>groupBy</c> names no grouping, or <c>held</c> is not true or false.</exception>
    private static Task<ClusterMemoryReport> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var text = ApiResponses.Query(context, "groupBy");
        var groupBy = text is null ? MemoryGrouping.Node
            : Enum.TryParse<MemoryGrouping>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new ArgumentException($"groupBy '{text}' is not a grouping: use one of {string.Join(", ", Enum.GetNames<MemoryGrouping>())}.");
        return reader.State.GetMemoryReportAsync(groupBy, ApiResponses.IncludeHeld(context), context.RequestAborted);
    }
}
