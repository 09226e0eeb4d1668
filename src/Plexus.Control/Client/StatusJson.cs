using System.Text.Json.Serialization;

namespace Plexus.Control;

/// <summary><c>plexus status --json</c>'s document: camelCase names, indented, generated at build time (the tool's other documents use the same options).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJson : JsonSerializerContext;
