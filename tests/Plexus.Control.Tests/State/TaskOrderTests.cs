using Plexus.Control.State;

namespace Plexus.Control.Tests.State;

/// <summary>The task table's listing order: values naming slots, stale entries skipped and swept.</summary>
public sealed class TaskOrderTests
{
    [Fact]
    public void TasksEnterAtTheirPlaceByTimeThenSequenceWhateverOrderTheyCome()
    {
        var slots = Slots((300, 1), (100, 2), (300, 3), (200, 4));
        var order = new TaskOrder();
        for (var slot = 0; slot < slots.Count; slot++)
        {
            order.Add(slot, slots[slot]);
        }

        Assert.Equal([1, 3, 0, 2], Live(order, slots));
        // After (200, 4): the tasks at 300, by sequence.
        Assert.Equal(2, order.FirstAfter((200, 4)));
        Assert.Equal(0, order.FirstAfter(null));
        Assert.Equal(4, order.FirstAfter((300, 3)));
    }

    [Fact]
    public void AFreedOrMovedTasksOldEntryIsStaleAndSweptOnceStaleEntriesOutnumberLiveOnes()
    {
        var slots = Slots([.. Enumerable.Range(1, 3000).Select(i => ((long)i, (long)i))]);
        var order = new TaskOrder();
        for (var slot = 0; slot < slots.Count; slot++)
        {
            order.Add(slot, slots[slot]);
        }

        // Slot 0 moves after everything; slot 1 is freed and taken by a new task (another sequence).
        slots[0].OrderTime = 5000;
        order.Add(0, slots[0]);
        order.Left(slots);
        slots[1] = new TaskSlot { Sequence = 3001, OrderTime = 4000 };
        order.Add(1, slots[1]);
        order.Left(slots);
        Assert.Equal(3000, order.Count);
        Assert.Equal(3002, order.Entries.Length);
        Assert.Equal([.. Enumerable.Range(2, 2998), 1, 0], Live(order, slots));

        // The 1,502nd stale entry of 3,002 is more than half: the sweep drops every stale one then, and 100 more go stale after.
        for (var slot = 2; slot < 1602; slot++)
        {
            slots[slot] = default;
            order.Left(slots);
        }

        Assert.Equal(1400, order.Count);
        Assert.Equal(1500, order.Entries.Length);
        Assert.Equal([.. Enumerable.Range(1602, 1398), 1, 0], Live(order, slots));
    }

    private static TaskSlots Slots(params (long Time, long Sequence)[] tasks)
    {
        var slots = new TaskSlots();
        foreach (var (time, sequence) in tasks)
        {
            slots[slots.Add()] = new TaskSlot { OrderTime = time, Sequence = sequence };
        }

        return slots;
    }

    private static int[] Live(TaskOrder order, TaskSlots slots)
    {
        var live = new List<int>();
        foreach (var entry in order.Entries)
        {
            if (TaskOrder.IsCurrent(entry, slots))
            {
                live.Add(entry.Slot);
            }
        }

        return [.. live];
    }
}
