using MemoryPack;

namespace Plexus.Benchmarks.Serialization;

/// <summary>
/// Shaped like the runtime's TaskSpec: ids, a function descriptor, two small inline arguments and
/// options. One type serves both serializers (MemoryPack through its generated formatter,
/// MessagePack through the contractless resolver), so they encode exactly the same data.
/// </summary>
[MemoryPackable]
public sealed partial class TaskSpecPayload
{
    public ulong JobHigh { get; init; }

    public ulong JobLow { get; init; }

    public ulong TaskPath { get; init; }

    public ulong OwnerNode { get; init; }

    public int OwnerProcess { get; init; }

    public string Assembly { get; init; } = string.Empty;

    public string Type { get; init; } = string.Empty;

    public string Method { get; init; } = string.Empty;

    public int MetadataToken { get; init; }

    public InlineArgPayload[] Args { get; init; } = [];

    public int ReturnCount { get; init; }

    public int MaxRetries { get; init; }

    public double Cpus { get; init; }

    public string? Name { get; init; }

    public static TaskSpecPayload Sample() => new()
    {
        JobHigh = 0x0123_4567_89ab_cdef,
        JobLow = 0xfedc_ba98_7654_3210,
        TaskPath = 42,
        OwnerNode = 7,
        OwnerProcess = 0,
        Assembly = "MyApp, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null",
        Type = "MyApp.Tasks",
        Method = "Add",
        MetadataToken = 0x0600_0012,
        Args = [new() { Format = 1, Bytes = [0xd2, 0x04, 0x00, 0x00] }, new() { Format = 1, Bytes = [0x2a, 0, 0, 0, 0, 0, 0, 0] }],
        ReturnCount = 1,
        MaxRetries = 3,
        Cpus = 1,
        Name = null,
    };
}

/// <summary>An argument value small enough to travel inside the task spec.</summary>
[MemoryPackable]
public sealed partial class InlineArgPayload
{
    public byte Format { get; init; }

    public byte[] Bytes { get; init; } = [];
}
