using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>Counts of tasks by function name and status, kept as tasks change so a summary costs the number of functions, not of tasks.</summary>
internal sealed class TaskCounts
{
    private static readonly int StatusCount = Enum.GetValues<Proto.TaskStatus>().Length;

    // By function name: how many of its tasks are in each status (indexed by the status's number).
    private readonly Dictionary<string, long[]> _byName = new(StringComparer.Ordinal);

    public void Add(string name, Proto.TaskStatus status, long delta)
    {
        if (!_byName.TryGetValue(name, out var counts))
        {
            counts = new long[StatusCount];
            _byName[name] = counts;
        }

        counts[(int)status] += delta;
        if (delta < 0 && counts.All(c => c == 0))
        {
            _byName.Remove(name);
        }
    }

    public bool IsEmpty => _byName.Count == 0;

    /// <summary>Each function's counts (those not zero), by name.</summary>
    public IEnumerable<Proto.FunctionTaskCounts> Summary() => _byName.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f =>
    {
        var message = new Proto.FunctionTaskCounts { Name = f.Key };
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
