using System.Text.Json.Serialization;
using Plexus.Cli.Jobs;
using Plexus.Cli.Node;
using Plexus.Cli.Status;

namespace Plexus.Cli;

/// <summary>The tool's JSON documents (<c>node.json</c>, <c>control.json</c>, <c>status --json</c>): camelCase names, generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(NodeRecord))]
[JsonSerializable(typeof(ControlRecord))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(JobsReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
