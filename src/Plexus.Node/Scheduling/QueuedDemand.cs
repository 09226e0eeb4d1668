using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// What the tasks queued at a node ask for in all (CPUs, and each GPU and custom resource), kept
/// as tasks enter and leave the queue: placement reads it for every task submitted in a cluster,
/// so summing the queue there would cost a pass over it per task. Not thread-safe (the node's lock).
/// </summary>
internal sealed class QueuedDemand
{
    private readonly Dictionary<string, double> _resources = [];
    private int _count;

    /// <summary>CPUs the queued tasks ask for.</summary>
    public double Cpus { get; private set; }

    /// <summary>How much of <paramref name="resource"/> the queued tasks ask for.</summary>
    public double Of(string resource) => _resources.GetValueOrDefault(resource);

    public void Add(TaskSpec spec)
    {
        _count++;
        Cpus += spec.Cpus;
        foreach (var (name, amount) in spec.Resources ?? [])
        {
            _resources[name] = _resources.GetValueOrDefault(name) + amount;
        }
    }

    public void Remove(TaskSpec spec)
    {
        if (--_count == 0)
        {
            // Fractions added and taken away in another order leave rounding behind: an empty queue asks nothing.
            Cpus = 0;
            _resources.Clear();
            return;
        }

        Cpus -= spec.Cpus;
        foreach (var (name, amount) in spec.Resources ?? [])
        {
            _resources[name] = _resources.GetValueOrDefault(name) - amount;
        }
    }
}
