using System.Globalization;

namespace Plexus.Worker;

/// <summary>What a node tells a worker process it starts, through environment variables.</summary>
internal sealed record WorkerSettings(
    int Process, ulong NodeId, JobId Job, string SocketName, string ArenaPath, long ArenaCapacity,
    string ClusterToken, int Slots, int InlineThreshold, bool RecordCallSites, string SpillDirectory)
{
    public const string Prefix = "PLEXUS_WORKER_";

    public IEnumerable<KeyValuePair<string, string>> ToEnvironment() =>
    [
        new(Prefix + "PROCESS", Process.ToString(CultureInfo.InvariantCulture)),
        new(Prefix + "NODE", NodeId.ToString("x16", CultureInfo.InvariantCulture)),
        new(Prefix + "JOB", Job.ToString()),
        new(Prefix + "SOCKET", SocketName),
        new(Prefix + "ARENA", ArenaPath),
        new(Prefix + "ARENA_CAPACITY", ArenaCapacity.ToString(CultureInfo.InvariantCulture)),
        new(Prefix + "TOKEN", ClusterToken),
        new(Prefix + "SLOTS", Slots.ToString(CultureInfo.InvariantCulture)),
        new(Prefix + "INLINE_THRESHOLD", InlineThreshold.ToString(CultureInfo.InvariantCulture)),
        new(Prefix + "CALL_SITES", RecordCallSites ? "1" : "0"),
        new(Prefix + "SPILL", SpillDirectory),
    ];

    public static WorkerSettings FromEnvironment()
    {
        var job = Get("JOB");
        return new WorkerSettings(
            int.Parse(Get("PROCESS"), CultureInfo.InvariantCulture),
            ulong.Parse(Get("NODE"), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            new JobId(ulong.Parse(job[..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(job[16..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
            Get("SOCKET"),
            Get("ARENA"),
            long.Parse(Get("ARENA_CAPACITY"), CultureInfo.InvariantCulture),
            Get("TOKEN"),
            int.Parse(Get("SLOTS"), CultureInfo.InvariantCulture),
            int.Parse(Get("INLINE_THRESHOLD"), CultureInfo.InvariantCulture),
            Get("CALL_SITES") == "1",
            Get("SPILL"));
    }

    private static string Get(string name) =>
        Environment.GetEnvironmentVariable(Prefix + name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"environment variable {Prefix}{name} is not set");
}
