namespace Plexus.Node.Tests;

/// <summary>A node's meter reads what its store holds, writes to disk and reads back; with telemetry off it measures nothing.</summary>
public sealed class NodeMetricsTests
{
    private const long ObjectSize = 256 << 10;

    [Fact]
    public async Task StoreGaugesShowTheBytesOfAnObjectWhileItIsHeld()
    {
        await using var test = new TestNode();
        using var metrics = Recorder(test);
        Assert.Equal(TestNode.Capacity, metrics.Read("plexus_object_store_capacity_bytes"));
        Assert.Equal(0, metrics.Read("plexus_object_store_used_bytes"));

        await test.PutAsync(ObjectSize);

        Assert.True(metrics.Read("plexus_object_store_used_bytes") >= ObjectSize, $"store use read {metrics.Read("plexus_object_store_used_bytes")}");
    }

    [Fact]
    public async Task SpilledAndRestoredBytesCountWhatWentToDiskAndCameBack()
    {
        await using var test = new TestNode();
        using var metrics = Recorder(test);
        Assert.Equal(0, metrics.Read("plexus_object_store_spilled_bytes"));
        var first = await test.PutAsync(ObjectSize);
        for (var i = 1; i < 2 * TestNode.Capacity / ObjectSize; i++)
        {
            await test.PutAsync(ObjectSize);
        }

        Assert.True(metrics.Read("plexus_object_store_spilled_bytes") >= ObjectSize, $"spilled bytes read {metrics.Read("plexus_object_store_spilled_bytes")}");
        Assert.Equal(0, metrics.Read("plexus_object_store_restored_bytes"));

        var pinned = await test.PinAndCheckAsync(first);
        test.Node.UnpinObject(first, pinned.Offset);

        Assert.True(metrics.Read("plexus_object_store_restored_bytes") >= ObjectSize, $"restored bytes read {metrics.Read("plexus_object_store_restored_bytes")}");
    }

    [Fact]
    public async Task ANodeWithTelemetryOffMeasuresNothing()
    {
        await using var test = new TestNode(options => options.Telemetry = false);
        using var metrics = Recorder(test);

        await test.PutAsync(ObjectSize);

        Assert.Null(metrics.Read("plexus_object_store_used_bytes"));
        Assert.Null(metrics.Read("plexus_tasks", "state=queued"));
    }

    private static MetricsRecorder Recorder(TestNode test) => new(NodeMetrics.MeterName, $"{test.Node.NodeId:x16}");
}
