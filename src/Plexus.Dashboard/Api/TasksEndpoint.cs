using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/tasks?state=S&amp;job=J&amp;limit=N&amp;pageToken=T</c>: a page of the task table,
/// filtered and paged by the table itself (as <c>plexus list tasks</c>), in submission order, with
/// the total that match and the next page's token. <c>state</c> is a <see cref="ClusterTaskState"/>
/// name; <c>limit</c> 1 to 1000, default 50.
/// </summary>
internal static class TasksEndpoint
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/tasks", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.TaskPage));

    private static Task<TaskPage> ReadAsync(ClusterReader reader, HttpContext context) => reader.State.ListTasksAsync(Query(context), context.RequestAborted);

    /// <exception cref="ArgumentException">A parameter is malformed; the message names it.</exception>
    private static TaskQuery Query(HttpContext context)
    {
        var state = ApiResponses.Query(context, "state");
        var limit = ApiResponses.Query(context, "limit");
        return new TaskQuery
        {
            State = state is null ? null
                : Enum.TryParse<ClusterTaskState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new ArgumentException($"state '{state}' is not a task state: use one of {string.Join(", ", Enum.GetNames<ClusterTaskState>())}."),
            JobId = ApiResponses.Query(context, "job"),
            Limit = limit is null ? DefaultLimit
                : int.TryParse(limit, out var n) && n is >= 1 and <= MaxLimit ? n
                : throw new ArgumentException($"limit '{limit}' is not a number from 1 to {MaxLimit}."),
            PageToken = ApiResponses.Query(context, "pageToken"),
        };
    }
}
