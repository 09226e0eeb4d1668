namespace Plexus.Node;

/// <summary>
/// What this node offers of the resources work holds while it runs, and how much of each is held:
/// its CPUs, shared by every worker pool of the node, and its GPUs and custom resources, held by
/// each task from the moment it is handed to a worker until it finishes (or its worker dies) and
/// by each actor from its placement until it ends. Store memory is not counted here (the store
/// accounts its own bytes). Only touched under the node's lock.
/// </summary>
/// <param name="cpus">The CPUs every pool of the node shares.</param>
/// <param name="offered">GPUs and custom resources by name; <see cref="Resources.Cpu"/> and <see cref="Resources.ObjectStoreMemory"/> are ignored.</param>
internal sealed class ResourceLedger(double cpus, IReadOnlyDictionary<string, double> offered)
{
    // Of each counted resource, the amount held by tasks on workers and actors placed here.
    private readonly Dictionary<string, double> _held = [];

    /// <summary>The CPUs of the node, which its pools share: no more run at once.</summary>
    public double Cpus => cpus;

    /// <summary>The counted resources the node offers (GPUs, custom ones), by name.</summary>
    public IEnumerable<string> Offered => offered.Keys.Where(IsCounted);

    /// <summary>How much of <paramref name="resource"/> the node offers (0 if it does not).</summary>
    public double Offer(string resource) => offered.GetValueOrDefault(resource);

    /// <summary>How much of <paramref name="resource"/> running work holds.</summary>
    public double Held(string resource) => _held.GetValueOrDefault(resource);

    /// <summary>Whether what <paramref name="demand"/> asks of the counted resources is free now.</summary>
    public bool Fits(IReadOnlyDictionary<string, double>? demand) =>
        demand is null || demand.All(r => !IsCounted(r.Key) || Offer(r.Key) - Held(r.Key) >= r.Value - TaskDispatcher.CpuTolerance);

    /// <summary>Work asking <paramref name="demand"/> starts holding it (checked with <see cref="Fits"/> first).</summary>
    public void Acquire(IReadOnlyDictionary<string, double>? demand) => Add(demand, +1);

    /// <summary>Work that held <paramref name="demand"/> finished or ended: it is free for the next.</summary>
    public void Release(IReadOnlyDictionary<string, double>? demand) => Add(demand, -1);

    private void Add(IReadOnlyDictionary<string, double>? demand, int sign)
    {
        if (demand is null)
        {
            return;
        }

        foreach (var (name, amount) in demand)
        {
            if (IsCounted(name))
            {
                _held[name] = Math.Max(0, Held(name) + (sign * amount));
            }
        }
    }

    // CPUs are counted per worker slot, store bytes by the store.
    private static bool IsCounted(string resource) => resource is not (Resources.Cpu or Resources.ObjectStoreMemory);
}
