using Microsoft.AspNetCore.Routing;

namespace Plexus.Dashboard.Api;

/// <summary>
/// The dashboard's JSON API, under <c>/api</c>, which the pages poll for live updates. A page or
/// panel brings one endpoint file (a static <c>Map</c>, its answer's records) and one line here;
/// its script is one file under <c>wwwroot/assets/pages</c>, listed in <c>index.html</c>.
/// </summary>
internal static class DashboardApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        OverviewEndpoint.Map(api);
        JobsEndpoint.Map(api);
        TasksEndpoint.Map(api);
        ActorsEndpoint.Map(api);
        ObjectsEndpoint.Map(api);
        MemoryEndpoint.Map(api);
        LogsEndpoint.Map(api);
        NodeLogsEndpoint.Map(api);
        TimelineEndpoint.Map(api);
    }
}
