using System.Text.Json;

namespace Plexus.ClusterHosting;

/// <summary>
/// <c>&lt;temp-dir&gt;/control.json</c>, which a head writes (atomically) each time its control
/// service process serves: the first start and every restart.
/// </summary>
internal sealed record ControlStateFile(int Pid, ulong ProcessStartTicks, int Port)
{
    public const string FileName = "control.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The head's file, or null while it has none (its service has not served yet, or the head has stopped).</summary>
    public static ControlStateFile? TryRead(string tempDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<ControlStateFile>(File.ReadAllText(Path.Combine(tempDirectory, FileName)), Json);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
