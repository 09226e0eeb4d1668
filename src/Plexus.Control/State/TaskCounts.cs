using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>Counts of tasks by function name and status, kept as tasks change so a summary costs the number of functions, not of tasks.</summary>
internal sealed class TaskCounts
{
    private static readonly int StatusCount = Enum.GetValues<Proto.TaskStatus>().Length;

    // By function name's number (TaskNames): how many of its tasks are in each status (indexed by the status's number).
    private readonly Dictionary<int, long[]> _byName = [];

    public void Add(int name, Proto.TaskStatus status, long delta)
    {
        if (!_byName.TryGetValue(name, out var counts))
        {
            counts = new long[StatusCount];
            _byName[name] = counts;
        }

        counts[(int)status] += delta;
        if (delta < 0 && Array.TrueForAll(counts, c => c == 0))
        {
            _byName.Remove(name);
        }
    }

    /// <summary>Moves one task of function <paramref name="name"/> from status <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void Move(int name, Proto.TaskStatus from, Proto.TaskStatus to)
    {
        // The task is counted under its name already, so its counts exist and stay (the task stays).
        var counts = _byName[name];
        counts[(int)from]--;
        counts[(int)to]++;
    }

    public bool IsEmpty => _byName.Count == 0;

    /// <summary>How many tasks of function <paramref name="name"/> (any when null) are in <paramref name="status"/> (any when null).</summary>
    public long Count(int? name, Proto.TaskStatus? status)
    {
        long count = 0;
        foreach (var (function, counts) in _byName)
        {
            if (name is null || name == function)
            {
                count += status is { } s ? counts[(int)s] : counts.Sum();
            }
        }

        return count;
    }

    /// <summary>Each function's counts (those not zero), by name.</summary>
    public IEnumerable<Proto.FunctionTaskCounts> Summary(TaskNames names) => _byName.OrderBy(f => names[f.Key], StringComparer.Ordinal).Select(f =>
    {
        var message = new Proto.FunctionTaskCounts { Name = names[f.Key] };
        for (var status = 1; status < f.Value.Length; status++)
        {
            if (f.Value[status] != 0)
            {
                message.Counts[TaskStatusNames.Of((Proto.TaskStatus)status)] = f.Value[status];
            }
        }

        return message;
    });
}
