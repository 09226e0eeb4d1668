using System.Text.Json;

namespace Plexus.ClusterHosting;

/// <summary>
/// <c>&lt;temp-dir&gt;/node.json</c>, which `plexus start` writes (atomically) once its node serves.
/// </summary>
internal sealed record NodeStateFile(int Pid, string NodeId, string NodeAddress, string ControlAddress, bool Head)
{
    public const string FileName = "node.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The node's file, or null while it has not written one.</summary>
    public static NodeStateFile? TryRead(string tempDirectory)
    {
        var path = Path.Combine(tempDirectory, FileName);
        try
        {
            return JsonSerializer.Deserialize<NodeStateFile>(File.ReadAllText(path), Json);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
