using System.Text.Json;
using System.Text.Json.Serialization;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>The API's JSON: camelCase names, states as their names. A new endpoint's answer gets a line here.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(OverviewView))]
[JsonSerializable(typeof(JobsView))]
[JsonSerializable(typeof(TaskPage))]
[JsonSerializable(typeof(ActorsView))]
[JsonSerializable(typeof(ObjectsView))]
[JsonSerializable(typeof(ClusterMemoryReport))]
[JsonSerializable(typeof(LogsView))]
[JsonSerializable(typeof(NodeLogView))]
[JsonSerializable(typeof(TimelineView))]
internal sealed partial class DashboardJson : JsonSerializerContext;
