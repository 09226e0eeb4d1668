using System.Text.Json.Serialization;
using Plexus.Cli.Jobs;
using Plexus.Cli.Node;
using Plexus.Control;

namespace Plexus.Cli;

/// <summary>The tool's JSON documents (<c>node.json</c>, <c>control.json</c>, the state commands' <c>--json</c>; <c>status --json</c>'s is Plexus.Control's <c>StatusJson</c>): camelCase names, generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(NodeRecord))]
[JsonSerializable(typeof(ControlRecord))]
[JsonSerializable(typeof(JobsReport))]
[JsonSerializable(typeof(TaskPage))]
[JsonSerializable(typeof(IReadOnlyList<ActorEntry>))]
[JsonSerializable(typeof(IReadOnlyList<WorkerEntry>))]
[JsonSerializable(typeof(IReadOnlyList<NodeEntry>))]
[JsonSerializable(typeof(IReadOnlyList<JobEntry>))]
[JsonSerializable(typeof(IReadOnlyList<FunctionTaskCounts>))]
[JsonSerializable(typeof(ObjectListing))]
[JsonSerializable(typeof(ClusterMemoryReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
