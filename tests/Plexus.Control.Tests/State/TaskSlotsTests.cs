using Plexus.Control.State;

namespace Plexus.Control.Tests.State;

/// <summary>The task table's chunked slots: numbered in order, kept in place as chunks are added.</summary>
public sealed class TaskSlotsTests
{
    [Fact]
    public void SlotsAreNumberedInOrderAndKeepTheirValuesAcrossChunks()
    {
        var slots = new TaskSlots();
        var count = (TaskSlots.ChunkLength * 5) + 3;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, slots.Add());
            slots[i].Sequence = i + 1;
        }

        Assert.Equal(count, slots.Count);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(i + 1, slots[i].Sequence));
    }

    [Fact]
    public void EveryChunkStaysUnderTheLargeObjectThreshold()
    {
        // An array of 85,000 bytes or more goes to the large-object heap: what the chunks exist to avoid.
        var bytes = TaskSlots.ChunkLength * System.Runtime.CompilerServices.Unsafe.SizeOf<TaskSlot>();
        Assert.InRange(bytes, 1, 84_999);
    }
}
