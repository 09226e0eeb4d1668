using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MemoryPack;
using MessagePack;
using MessagePack.Resolvers;

namespace Plexus.Benchmarks.Serialization;

/// <summary>
/// The measurement behind the serializer choice: a serialize + deserialize round trip of a small
/// task-spec-like record (the protocol's hot path) and of a 1 MiB double[] (a value), with
/// MessagePack's contractless resolver (what user values use: no attributes needed) against
/// MemoryPack (what protocol messages use: generated formatters). Both write into a reused
/// buffer, as the runtime's framing does, so allocations shown are the deserializer's.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializerBenchmarks
{
    private static readonly MessagePackSerializerOptions Contractless = ContractlessStandardResolver.Options;

    private readonly ArrayBufferWriter<byte> _buffer = new(2 << 20);
    private readonly TaskSpecPayload _spec = TaskSpecPayload.Sample();
    private readonly double[] _doubles = Enumerable.Range(0, (1 << 20) / sizeof(double)).Select(i => i * 0.5).ToArray();

    [Benchmark(Baseline = true, Description = "MessagePack contractless")]
    [BenchmarkCategory("TaskSpec")]
    public TaskSpecPayload SpecMessagePack()
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, _spec, Contractless);
        return MessagePackSerializer.Deserialize<TaskSpecPayload>(_buffer.WrittenMemory, Contractless);
    }

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("TaskSpec")]
    public TaskSpecPayload? SpecMemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _spec);
        return MemoryPackSerializer.Deserialize<TaskSpecPayload>(_buffer.WrittenSpan);
    }

    [Benchmark(Baseline = true, Description = "MessagePack contractless")]
    [BenchmarkCategory("Doubles1MiB")]
    public double[] DoublesMessagePack()
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, _doubles, Contractless);
        return MessagePackSerializer.Deserialize<double[]>(_buffer.WrittenMemory, Contractless);
    }

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("Doubles1MiB")]
    public double[]? DoublesMemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _doubles);
        return MemoryPackSerializer.Deserialize<double[]>(_buffer.WrittenSpan);
    }
}
